"""Story participants are merged through an index of name forms (linear time); the
groups must be exactly those of comparing every pair with same_actor()."""

from __future__ import annotations

import random

from communique.briefing.stories import _actor_groups, _ambiguous_surnames, _components, same_actor
from communique.models import Participant

FIRST = ["John", "Jane", "Stefan", "Marko", "Irena", "Ana"]
LAST = ["Smith", "Olbrecht", "Lenz", "Voss", "Macron", "Ostmark"]
ORGS = ["NATO", "Bank of Ostmark", "Liberal Party", "Ostmark", "Voss"]


def _random_participant(rng: random.Random) -> Participant:
    kind = rng.choice(["person", "person", "person", "organization", "country"])
    if kind == "person":
        last = rng.choice(LAST)
        name = rng.choice([f"{rng.choice(FIRST)} {last}", last, f"Dr. {last}"])
        aliases = rng.sample(
            [last, f"{rng.choice(FIRST)} {last}", rng.choice(LAST)], k=rng.randint(0, 2)
        )
    else:
        name = rng.choice(ORGS)
        aliases = rng.sample(ORGS, k=rng.randint(0, 1))
    return Participant(name=name, kind=kind, role=None, aliases=[a for a in aliases if a != name])


def _pairwise(people: list[Participant]) -> list[list[int]]:
    ambiguous = _ambiguous_surnames(people)
    return _components(len(people), lambda i, j: same_actor(people[i], people[j], ambiguous))


def test_indexed_groups_equal_pairwise_groups() -> None:
    rng = random.Random(7)
    merged_something = False
    for _ in range(300):
        people = [_random_participant(rng) for _ in range(rng.randint(1, 14))]
        groups = _actor_groups(people)
        assert groups == _pairwise(people), [p.name for p in people]
        merged_something |= any(len(g) > 1 for g in groups) and len(groups) > 1
    assert merged_something  # the cases exercise merging, not only singletons


def test_a_lone_surname_joins_the_full_name_it_ends_unless_ambiguous() -> None:
    def p(name: str, *aliases: str, kind: str = "person") -> Participant:
        return Participant(name=name, kind=kind, role=None, aliases=list(aliases))

    assert _actor_groups([p("Stefan Olbrecht"), p("Olbrecht"), p("Marko Lenz")]) == [[0, 1], [2]]
    # Two Smiths: "Smith" alone could be either, so it stays apart.
    assert _actor_groups([p("John Smith"), p("Jane Smith"), p("Smith")]) == [[0], [1], [2]]
    # Surnames only join people: the country Ostmark is not "Bank of Ostmark".
    people = [p("Ostmark", kind="country"), p("Bank of Ostmark", kind="organization")]
    assert _actor_groups(people) == [[0], [1]]
