"""Grouping summarized articles into stories about the same proposal, deterministically.

Two articles are linked when their proposal statements are similar (rapidfuzz) and, below
a higher similarity, when they also share participants other than countries and are at
most a month apart. A story merges its articles'
participants, positions and next steps, and lists the actors whose stance differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Iterable, Sequence
from typing import Protocol, TypeVar

from pydantic import Field
from rapidfuzz import fuzz, utils

from ..models import (
    ClosedModel,
    Evidence,
    NextStep,
    Participant,
    Position,
    Stance,
    Status,
    Summary,
)
from ..text.folding import fold_name

SAME_PROPOSAL = 80.0  # token-set similarity (0-100) that links two articles on its own
WITH_ONE_SHARED = 60.0  # ... when they also share at least one participant
WITH_TWO_SHARED = 50.0  # ... when they share two or more (countries do not count)
MAX_DAYS_APART = 31  # articles further apart are linked by their proposals alone


class StoryPosition(ClosedModel):
    actor: str
    stance: Stance
    summary: str
    article_id: str
    evidence: list[Evidence]


class StoryStep(ClosedModel):
    action: str
    actor: str | None = None
    when: str | None = None
    when_iso: dt.date | None = None
    article_id: str
    evidence: list[Evidence]


S = TypeVar("S", StoryPosition, StoryStep)


class StanceIn(ClosedModel):
    article_id: str
    stance: Stance


class Disagreement(ClosedModel):
    actor: str
    stances: list[StanceIn] = Field(description="'unclear' stances are left out")


class Story(ClosedModel):
    id: str
    headline: str
    proposal: str | None = Field(description="the proposal statement; null when none")
    status: Status | None = Field(description="as reported by the latest article")
    article_ids: list[str]
    participants: list[Participant]
    positions: list[StoryPosition]
    next_steps: list[StoryStep]
    disagreements: list[Disagreement]


class Member(Protocol):
    """What grouping needs of an article: a briefing Item."""

    @property
    def id(self) -> str: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def summary(self) -> Summary | None: ...


# --- who is who -----------------------------------------------------------------------


def _forms(p: Participant) -> set[str]:
    return {f for f in (fold_name(n) for n in [p.name, *p.aliases]) if f.strip()}


def same_actor(a: Participant, b: Participant, ambiguous: Container[str] = ()) -> bool:
    """Same name or alias, or (people only) a lone surname that ends the other's name."""
    fa, fb = _forms(a), _forms(b)
    if fa & fb:
        return True
    if a.kind != "person" or b.kind != "person":
        return False
    return _ends(fa, fb, ambiguous) or _ends(fb, fa, ambiguous)


def _ends(short: set[str], full: set[str], ambiguous: Container[str]) -> bool:
    lone = {f.strip() for f in short if len(f.split()) == 1}
    lasts = {f.split()[-1] for f in full if len(f.split()) > 1}
    return any(w not in ambiguous for w in lone & lasts)


def _ambiguous_surnames(people: Iterable[Participant]) -> set[str]:
    """Surnames that end different full names ("John Smith", "Jane Smith")."""
    before: dict[str, set[str]] = {}
    for p in people:
        for words in (f.split() for f in _forms(p) if p.kind == "person"):
            if len(words) > 1:
                before.setdefault(words[-1], set()).add(words[-2])
    return {last for last, firsts in before.items() if len(firsts) > 1}


def _merge_participants(
    people: list[tuple[str, Participant]],
) -> tuple[list[Participant], dict[tuple[str, str], str]]:
    """Participants of several articles, merged when same_actor() says so.

    Returns the merged list and, per (article id, folded name form), the merged name.
    """
    groups = _actor_groups([p for _, p in people])
    merged: list[Participant] = []
    canonical: dict[tuple[str, str], str] = {}
    for group in groups:
        found = [people[i][1] for i in group]
        name = max((p.name for p in found), key=len)  # the fullest form; first on ties
        kinds = [p.kind for p in found]
        merged.append(
            Participant(
                name=name,
                kind=max(kinds, key=kinds.count),
                role=next((p.role for p in found if p.role), None),
                affiliation=next((p.affiliation for p in found if p.affiliation), None),
                aliases=sorted({n for p in found for n in [p.name, *p.aliases]} - {name}),
            )
        )
        for i in group:
            canonical.update({(people[i][0], form): name for form in _forms(people[i][1])})
    return merged, canonical


# --- which articles ---------------------------------------------------------------------


def _shared(a: Summary, b: Summary) -> int:
    """How many of a's participants, countries aside, also take part in b (Russia and the
    U.S. take part in many stories that are not one)."""
    return sum(
        1
        for p in a.participants
        if p.kind != "country" and any(same_actor(p, q) for q in b.participants)
    )


def related(a: Summary, b: Summary, days_apart: int | None = None) -> bool:
    """Do two summaries report the same proposal? Below SAME_PROPOSAL, shared participants
    link only articles at most MAX_DAYS_APART days apart."""
    if a.proposal is None or b.proposal is None:
        return False
    score = fuzz.token_set_ratio(
        a.proposal.statement, b.proposal.statement, processor=utils.default_process
    )
    if score >= SAME_PROPOSAL:
        return True
    if days_apart is not None and days_apart > MAX_DAYS_APART:
        return False
    shared = _shared(a, b) if score >= WITH_TWO_SHARED else 0
    return (score >= WITH_ONE_SHARED and shared >= 1) or shared >= 2


class _Groups:
    """Union-find over 0..n-1."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.root(i), self.root(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def components(self) -> list[list[int]]:
        """Each sorted, in order of their first member."""
        groups: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            groups.setdefault(self.root(i), []).append(i)
        return sorted(groups.values(), key=lambda g: g[0])


def _components(n: int, linked: Callable[[int, int], bool]) -> list[list[int]]:
    """Connected components of 0..n-1 under a pairwise test."""
    groups = _Groups(n)
    for i in range(n):
        for j in range(i + 1, n):
            if groups.root(i) != groups.root(j) and linked(i, j):
                groups.union(i, j)
    return groups.components()


def _actor_groups(people: Sequence[Participant]) -> list[list[int]]:
    """The components of same_actor() over people, found through an index of name forms
    and surnames instead of comparing every pair (a 500-article briefing has thousands
    of participants): the same groups, in linear time."""
    ambiguous = _ambiguous_surnames(people)
    groups = _Groups(len(people))
    by_form: dict[str, int] = {}
    by_last: dict[str, list[int]] = {}  # last word of a person's full name -> people
    lone: list[tuple[int, str]] = []  # (person, one-word form that may be a surname)
    for i, p in enumerate(people):
        for form in _forms(p):
            groups.union(i, by_form.setdefault(form, i))
            words = form.split()
            if p.kind != "person":
                continue
            if len(words) > 1:
                by_last.setdefault(words[-1], []).append(i)
            elif words[0] not in ambiguous:
                lone.append((i, words[0]))
    for i, word in lone:
        for j in by_last.get(word, ()):
            groups.union(i, j)
    return groups.components()


def group_stories(items: Sequence[Member]) -> list[Story]:
    """One story per group of related articles: the largest first, then by first id."""
    own = sorted((i for i in items if i.summary is not None), key=lambda i: i.id)
    summaries = [i.summary for i in own if i.summary is not None]

    def linked(i: int, j: int) -> bool:
        di, dj = own[i].date, own[j].date
        apart = abs((di - dj).days) if di is not None and dj is not None else None
        return related(summaries[i], summaries[j], apart)

    groups = _components(len(own), linked)
    groups.sort(key=lambda g: (-len(g), own[g[0]].id))  # the most covered first
    return [
        _story(f"story-{n}", [own[i] for i in group]) for n, group in enumerate(groups, start=1)
    ]


# --- one story --------------------------------------------------------------------------


def _story(story_id: str, members: list[Member]) -> Story:
    pairs = [(m.id, m.summary) for m in members if m.summary is not None]
    merged, canonical = _merge_participants([(aid, p) for aid, s in pairs for p in s.participants])

    def who(aid: str, actor: str) -> str:
        return canonical.get((aid, fold_name(actor)), actor)

    positions = sorted(
        (
            in_story(StoryPosition, p, aid, who(aid, p.actor))
            for aid, s in pairs
            for p in s.positions
        ),
        key=lambda p: (p.actor.casefold(), p.article_id),
    )
    steps = sorted(
        (
            in_story(StoryStep, n, aid, who(aid, n.actor) if n.actor else None)
            for aid, s in pairs
            for n in s.next_steps
        ),
        key=lambda n: (n.when_iso or dt.date.max, n.article_id, n.action),
    )
    dates = {m.id: m.date or dt.date.min for m in members}
    proposals = [(aid, s.proposal) for aid, s in pairs if s.proposal is not None]
    latest = max(proposals, key=lambda pair: (dates[pair[0]], pair[0]), default=None)
    return Story(
        id=story_id,
        headline=pairs[0][1].headline,
        proposal=proposals[0][1].statement if proposals else None,
        status=latest[1].status if latest else None,
        article_ids=[aid for aid, _ in pairs],
        participants=merged,
        positions=positions,
        next_steps=steps,
        disagreements=disagreements(positions),
    )


def in_story(model: type[S], item: Position | NextStep, article_id: str, actor: str | None) -> S:
    """An article's position or next step as its story lists it: the same fields, with
    the article's id and the actor named as the story names them."""
    return model(**{**dict(item), "actor": actor, "article_id": article_id})


def disagreements(positions: Sequence[StoryPosition]) -> list[Disagreement]:
    """Actors whose stance differs between articles ('unclear' is not a stance here)."""
    by_actor: dict[str, dict[tuple[str, str], StanceIn]] = {}
    for p in positions:
        if p.stance != "unclear":
            seen = by_actor.setdefault(p.actor, {})
            seen.setdefault(
                (p.article_id, p.stance), StanceIn(article_id=p.article_id, stance=p.stance)
            )
    out = []
    for actor, entries in sorted(by_actor.items(), key=lambda kv: kv[0].casefold()):
        stances = list(entries.values())  # first-seen order, each once
        if len({s.stance for s in stances}) > 1 and len({s.article_id for s in stances}) > 1:
            out.append(Disagreement(actor=actor, stances=stances))
    return out
