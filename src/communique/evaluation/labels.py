"""Hand labels for the seed articles (seeds/labels/*.json) and the checks that keep them
honest: every evidence string verbatim in its article, every name written in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..errors import UsageError
from ..ingest.article import Article, read_article_file
from ..models import Kind, Stance, Status
from ..text.folding import fold_name, locate_quote, name_in_text


class _Label(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelProposal(_Label):
    statement: str
    status: Status
    evidence: list[str] = Field(min_length=1, description="verbatim quotes from the article")


class LabelParticipant(_Label):
    name: str
    kind: Kind
    aliases: list[str] = Field(default_factory=list)
    central: bool = Field(description="a summary that misses this actor is wrong")

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


class LabelPosition(_Label):
    actor: str = Field(description="the name of a labelled participant")
    stance: Stance
    evidence: list[str] = Field(min_length=1)


class LabelNextStep(_Label):
    action: str
    actor: str | None
    when: str | None = Field(description="the time expression as the article states it")
    when_iso: dt.date | None
    evidence: list[str] = Field(min_length=1)


class Label(_Label):
    """The expected content of one seed article's summary."""

    article: str = Field(description="file name of the article in seeds/articles/")
    language: str = Field(description="ISO 639-1 code of the article's language")
    proposal: LabelProposal | None = Field(description="null when the article has no proposal")
    participants: list[LabelParticipant] = Field(min_length=1)
    positions: list[LabelPosition]
    next_steps: list[LabelNextStep]
    must_not_include: list[str] = Field(
        description="claims or names a careless model would invent or misattribute"
    )

    def participant(self, name: str) -> LabelParticipant | None:
        folded = fold_name(name)
        return next((p for p in self.participants if fold_name(p.name) == folded), None)


@dataclass(frozen=True)
class Seed:
    """One labelled document: its name (file stem), article and label."""

    name: str
    article: Article
    label: Label


def label_files(directory: Path) -> list[Path]:
    """DIR/labels/*.json, sorted by name (a usage error when there are none): the seeds'
    and an external set's labels."""
    labels = sorted((directory / "labels").glob("*.json"))
    if not labels:
        raise UsageError(f"no label files in {directory / 'labels'}")
    return labels


def load_seeds(directory: Path) -> list[Seed]:
    """Read DIR/labels/*.json and the DIR/articles/ file each one names, sorted by name."""
    seeds = []
    for path in label_files(directory):
        label = Label.model_validate_json(path.read_text(encoding="utf-8"))
        article = read_article_file(directory / "articles" / label.article)
        seeds.append(Seed(name=path.stem, article=article, label=label))
    return seeds


def written(name: str, folded_text: str) -> bool:
    """Is this name (or its last word, see name_in_text) in the folded article text?
    A possessive in the text ("the French leader's") still counts."""
    return name_in_text(name, folded_text) or name_in_text(name, folded_text.replace("'s ", " "))


def label_problems(label: Label, article: Article) -> list[str]:
    """Everything in a label that the article does not support (empty = consistent)."""
    problems = []
    folded = fold_name(article.text)
    items: list[tuple[str, list[str]]] = []
    if label.proposal:
        items.append(("proposal", label.proposal.evidence))
    items += [(f"positions[{i}]", p.evidence) for i, p in enumerate(label.positions)]
    items += [(f"next_steps[{i}]", s.evidence) for i, s in enumerate(label.next_steps)]
    for where, quotes in items:
        problems += [
            f"{where}: not verbatim: {q!r}" for q in quotes if not locate_quote(q, article.text)
        ]
    problems += [
        f"participant {p.name!r}: neither its name nor an alias is written in the article"
        for p in label.participants
        if not any(written(form, folded) for form in p.forms)
    ]
    actors = [(f"positions[{i}]", p.actor) for i, p in enumerate(label.positions)]
    actors += [(f"next_steps[{i}]", s.actor) for i, s in enumerate(label.next_steps) if s.actor]
    problems += [
        f"{where}: actor {actor!r} is not a participant"
        for where, actor in actors
        if label.participant(actor) is None
    ]
    return problems
