"""The grounding context (one article, its sentences and candidate names) and the
grounded parts a model answer becomes, with the notes of what was corrected or dropped
and where each item came from (the path a note names it by)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

from ..ingest.article import Article
from ..ingest.sentences import Sentence
from ..models import (
    Dropped,
    Meta,
    NextStep,
    Participant,
    Position,
    Proposal,
    Summary,
)
from ..text.folding import fold_name
from .rules.injection import Injection, find_injections, repeats_injection
from .rules.rule import ALL_ON, Rule, Switches

NO_STANCE = "none"  # what the model writes for an actor that takes no stance
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


def article_name(name: str) -> str:
    """The origin of a participant code added from the article's names: `article.names['X']`."""
    return f"article.names[{name!r}]"


def article_sentence(number: int) -> str:
    """The origin of a next step code found in the article's sentence `number`: `article.s14`."""
    return f"article.s{number}"


@dataclass(frozen=True)
class Origin:
    """Where an item of the summary came from: `path` names it (`actors[4]`,
    `next_steps[1]`, `followup.names.a3`, `article.s14`; a position is its actor's stance,
    `actors[4].stance`), `fields` is what its fields are named under (`actors[4]`: that
    position's summary is `actors[4].summary`)."""

    path: str
    fields: str


@dataclass(frozen=True)
class Paths:
    """Where a finished summary's positions and next steps came from, in their order (a
    long article's merge names what it drops by them)."""

    positions: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


@dataclass
class GroundedParts:
    """A summary in the making, with the notes of what was corrected or dropped, and where
    each of its items came from (`path`): every note names an item by its origin, which
    stays the same whatever is removed, added or reordered around it.

    Items are added with their origin (`add`, `add_position`, `remember`) and changed
    through `copy`, `correct` and `follow`, which keep it. Items given to the constructor
    (parts built by hand) are named by their place there: `participants[0]`."""

    participants: list[Participant] = field(default_factory=list)
    proposal: Proposal | None = None
    positions: list[Position] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)  # re-asked, then dropped
    headline: str = ""
    gist: str = ""
    corrected: list[Dropped] = field(default_factory=list)  # fixed by code, no re-ask
    switches: Switches = ALL_ON  # the rules switched off for this summary, if any
    # id(item) -> (the item, kept alive so that its id is not reused; its origin)
    origins: dict[int, tuple[BaseModel, Origin]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for where in ("participants", "positions", "next_steps"):
            for i, item in enumerate(getattr(self, where)):
                self.remember(item, f"{where}[{i}]")
        if self.proposal is not None:
            self.remember(self.proposal, "proposal")

    def on(self, rule: Rule) -> bool:
        """Is this rule switched on for this summary?"""
        return self.switches.on(rule)

    def remember(self, item: M, path: str, fields: str | None = None) -> M:
        """`item`, which came from `path` (its fields named under `fields`, default `path`)."""
        self.origins[id(item)] = (item, Origin(path, path if fields is None else fields))
        return item

    def add(self, items: list[M], item: M, path: str) -> None:
        """Append `item`, which came from `path`, to `items` (one of these parts' lists)."""
        items.append(self.remember(item, path))

    def add_position(self, position: Position, actor: str) -> None:
        """Append a position made from the stance of the answer's actor at `actor`."""
        self.positions.append(self.remember(position, f"{actor}.stance", actor))

    def acting(self) -> set[str]:
        """The folded names of the actors of a position or a next step."""
        named = {fold_name(q.actor) for q in self.positions}
        return named | {fold_name(s.actor) for s in self.next_steps if s.actor}

    def employers(self) -> set[str]:
        """The folded names the participants are listed with as their affiliation."""
        return {fold_name(p.affiliation) for p in self.participants if p.affiliation}

    def path(self, item: BaseModel, field: str | None = None) -> str:
        """Where `item` (or its `field`) came from: `actors[4]`, `actors[4].role`."""
        found = self.origins.get(id(item))
        if found is None:  # pragma: no cover - a programming error
            raise LookupError(f"no origin recorded for {item!r}")
        origin = found[1]
        return origin.path if field is None else f"{origin.fields}.{field}"

    def copy(self, item: M, **update: Any) -> M:
        """`item` with `update` applied, from the same origin."""
        return self.follow([item], [item.model_copy(update=update)])[0]

    def follow(self, old: Sequence[M], new: list[M]) -> list[M]:
        """`new`, made from `old` item for item (same length, same order): each new item
        gets the origin of the one it was made from."""
        for before, after in zip(old, new, strict=True):
            self.origins[id(after)] = (after, self.origins[id(before)][1])
        return new

    def correct(self, rule: Rule, field: str, reason: str, value: M, **update: Any) -> M:
        """`value` with `update` applied; the change is reported in `corrected` under the
        path of `value`'s `field`, corrected by that rule."""
        self.corrected.append(rule.note(self.path(value, field), reason, "corrected"))
        return self.copy(value, **update)

    def without(self, items: list[M], why: Callable[[M], tuple[Rule, str] | None]) -> list[M]:
        """`items` minus those `why` gives a rule and a reason against; each of those is
        reported in `corrected` under its path, dropped by that rule."""
        kept = []
        for item in items:
            if (found := why(item)) is None:
                kept.append(item)
            else:
                rule, reason = found
                self.corrected.append(rule.note(self.path(item), reason, "dropped"))
        return kept

    def clone(self) -> GroundedParts:
        """A deep copy whose items keep their origins (notes written on it stay on it)."""
        twin = copy.deepcopy(self)  # one memo: the origins hold the twin's own items
        twin.origins = {id(item): (item, origin) for item, origin in twin.origins.values()}
        return twin

    def paths(self) -> Paths:
        """Where the positions and next steps came from, in their order."""
        return Paths(
            positions=tuple(self.path(p) for p in self.positions),
            next_steps=tuple(self.path(s) for s in self.next_steps),
        )

    def summary(self, meta: Meta) -> Summary:
        """The Summary these parts make: its fields, but `meta`, are the parts' of the same
        names."""
        content = {name: getattr(self, name) for name in Summary.model_fields if name != "meta"}
        return Summary.model_validate({**content, "meta": meta})
