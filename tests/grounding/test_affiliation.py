"""A person's affiliation comes from the article's own wording, never from the model."""

from __future__ import annotations

from collections.abc import Sequence

from communique.grounding.rules.affiliation import drop_affiliation_only, with_affiliations
from communique.models import Evidence, Participant, Position

PEOPLE = [
    Participant(name="Stefan Olbrecht", kind="person", aliases=["Olbrecht"]),
    Participant(name="Anna Berg", kind="person"),
    Participant(name="Petra Lind", kind="person"),
    Participant(name="Tom Ruiz", kind="person"),
    Participant(name="Marko Lenz", kind="person"),
]
ORGS = [
    Participant(name="Liberal Party", kind="organization"),
    Participant(name="Workers' Union", kind="organization"),
    Participant(name="Ostmark", kind="country"),
    Participant(name="Harbour Authority", kind="group"),
    Participant(name="Brussels", kind="country"),
]


def _affiliations(text: str) -> dict[str, str | None]:
    return {p.name: p.affiliation for p in with_affiliations(PEOPLE + ORGS, text)}


def test_four_wordings_give_the_affiliation() -> None:
    got = _affiliations(
        "Stefan Olbrecht of the Liberal Party opposed the cap. Anna Berg, a spokeswoman "
        "for the Workers' Union, said members would strike. Ostmark's Trade Minister Petra "
        "Lind objected. Harbour Authority chief Tom Ruiz said the port stays open."
    )
    assert got["Stefan Olbrecht"] == "Liberal Party"
    assert got["Anna Berg"] == "Workers' Union"
    assert got["Petra Lind"] == "Ostmark"
    assert got["Tom Ruiz"] == "Harbour Authority"
    assert got["Marko Lenz"] is None  # not written next to any organisation
    assert got["Liberal Party"] is None  # organisations get none


def test_no_affiliation_from_mere_neighbourhood() -> None:
    got = _affiliations(
        "The Liberal Party pressed Stefan Olbrecht. In Ostmark, Anna Berg met Tom Ruiz. "
        "Marko Lenz said Ostmark would wait."
    )
    assert set(got.values()) == {None}


def test_the_first_stated_affiliation_wins() -> None:
    got = _affiliations(
        "Liberal Party leader Stefan Olbrecht spoke. Later Olbrecht of the Workers' Union "
        "was named."
    )
    assert got["Stefan Olbrecht"] == "Liberal Party"


def test_an_organisation_named_in_the_role_is_the_affiliation() -> None:
    people = [
        Participant(name="Mira Dahl", kind="person", role="Leader of the Liberal Party"),
        Participant(name="Irena Voss", kind="person", role="President of Ostmark"),
        Participant(name="Marko Lenz", kind="person", role="Housing Minister"),
        Participant(name="Anna Berg", kind="person", role="UN envoy for Ostmark"),
        Participant(name="Tom Ruiz", kind="person", role="chair of the Liberal Party Youth"),
    ]
    got = {p.name: p.affiliation for p in with_affiliations(people + ORGS, "Its leader spoke.")}
    assert got == {**got, "Mira Dahl": "Liberal Party", "Irena Voss": "Ostmark"}
    assert got["Marko Lenz"] is got["Anna Berg"] is got["Tom Ruiz"] is None


def _left(text: str, positions: Sequence[Position] = ()) -> tuple[list[str], list[tuple[str, str]]]:
    from communique.grounding.context import GroundedParts

    parts = GroundedParts(participants=PEOPLE + ORGS, positions=list(positions))
    drop_affiliation_only(parts, text)
    notes = [(n.rule, n.action) for n in parts.corrected]
    return [p.name for p in parts.participants], notes


def test_an_organisation_only_written_as_a_persons_affiliation_is_dropped() -> None:
    text = (
        "Stefan Olbrecht of the Liberal Party opposed the cap. Anna Berg, a spokeswoman "
        "for the Workers' Union, said members would strike. The Harbour Authority closed "
        "the port. Marko Lenz, who heads the Harbour Authority, agreed."
    )
    names, notes = _left(text)
    # the party and the union are only who Olbrecht and Berg are; the authority acts
    assert "Liberal Party" not in names and "Workers' Union" not in names
    assert "Harbour Authority" in names and "Stefan Olbrecht" in names
    assert notes == [("participants.affiliation_only", "dropped")] * 2


def test_an_affiliation_with_a_position_stays() -> None:
    text = "Stefan Olbrecht of the Liberal Party opposed the cap."
    position = Position(
        actor="Liberal Party",
        stance="oppose",
        summary="The party opposed the cap.",
        evidence=[Evidence(quote=text, start=0, end=len(text), sentence=1)],
    )
    names, notes = _left(text, [position])
    assert "Liberal Party" in names and notes == []
