"""The grounding context (one article, its sentences and candidate names) and the
grounded parts a model answer becomes, with the notes of what was corrected or dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

from ..ingest.article import Article
from ..ingest.sentences import Sentence
from ..models import (
    Dropped,
    NextStep,
    Participant,
    Position,
    Proposal,
)
from ..text.folding import fold_name
from .rules.injection import Injection, find_injections, repeats_injection
from .rules.rule import ALL_ON, Rule, Switches

NO_STANCE = "none"  # what the model writes for an actor that takes no stance
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class GroundingContext:
    article: Article
    sentences: list[Sentence]
    candidates: list[str] = field(default_factory=list)
    switches: Switches = ALL_ON  # the rules switched off for this summary, if any

    @cached_property
    def injections(self) -> dict[int, Injection]:
        return find_injections(self.sentences)

    @cached_property
    def folded_text(self) -> str:
        """The folded article without the sentences that address a model (injections)."""
        text = self.article.text
        for n in self.injections:
            s = self.sentences[n - 1]
            text = text[: s.start] + " " * (s.end - s.start) + text[s.end :]
        return fold_name(text)

    @cached_property
    def folded_sentences(self) -> list[str]:
        return [fold_name(s.text) for s in self.sentences]

    def injected(self, text: str) -> int | None:
        """The injected sentence whose payload this model-written text repeats, if any."""
        return repeats_injection(text, self.injections, self.sentences)

    def reask_message(self, problems: list[Dropped]) -> str:
        lines = "\n".join(f"- {p.item}: {p.reason}" for p in problems)
        return (
            "The answer does not match the article:\n" + lines + "\nFix exactly these problems: "
            "use only names written in the article (the article's spelling) and cite only "
            f"sentence numbers 1-{len(self.sentences)}."
        )


@dataclass
class GroundedParts:
    participants: list[Participant] = field(default_factory=list)
    proposal: Proposal | None = None
    positions: list[Position] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # re-asked, then dropped
    headline: str = ""
    gist: str = ""
    corrected: list[Dropped] = field(default_factory=list)  # fixed by code, no re-ask
    switches: Switches = ALL_ON  # the rules switched off for this summary, if any

    def on(self, rule: Rule) -> bool:
        """Is this rule switched on for this summary?"""
        return self.switches.on(rule)

    def correct(self, rule: Rule, item: str, reason: str, value: M, **update: Any) -> M:
        """`value` with `update` applied; the change is reported in `corrected` as `item`,
        corrected by that rule."""
        self.corrected.append(rule.note(item, reason, "corrected"))
        return value.model_copy(update=update)

    def without(
        self, items: list[T], where: str, why: Callable[[T], tuple[Rule, str] | None]
    ) -> list[T]:
        """`items` minus those `why` gives a rule and a reason against; each of those is
        reported in `corrected` as `where[i]`, dropped by that rule."""
        kept = []
        for i, item in enumerate(items):
            if (found := why(item)) is None:
                kept.append(item)
            else:
                rule, reason = found
                self.corrected.append(rule.note(f"{where}[{i}]", reason, "dropped"))
        return kept
