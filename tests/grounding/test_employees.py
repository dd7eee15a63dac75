"""positions.employee_speaks: the words of "Ed Berg, of Osland Ales, said" are Ed Berg's."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules import employees
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, Participant, Position


def run(text: str, people: list[Participant], *actors: str) -> GroundedParts:
    """The rule on one position per actor, each citing the text's first sentence."""
    sentences = split_sentences(text)
    first = sentences[0]
    cited = [Evidence(quote=first.text, start=first.start, end=first.end, sentence=1)]
    names = [p.name for p in people] + ["Ed Berg", "Ana Ruiz"]
    ctx = GroundingContext(Article(text=text), sentences, names)
    parts = GroundedParts(participants=people)
    for i, actor in enumerate(actors):
        said = Position(actor=actor, stance="support", summary="Good.", evidence=cited)
        parts.add_position(said, f"actors[{i}]")
    employees.credit_employees(parts, ctx)
    return parts


def test_a_copy_for_the_employer_is_dropped_when_the_person_has_a_position() -> None:
    text = '"It is a good ban," said Ed Berg, economic adviser to accountants Osland Partners.'
    people = [
        Participant(name="Ed Berg", kind="person"),
        Participant(name="Osland Partners", kind="organization"),
    ]
    parts = run(text, people, "Ed Berg", "Osland Partners")
    assert [q.actor for q in parts.positions] == ["Ed Berg"]
    assert [p.name for p in parts.participants] == ["Ed Berg"]
    assert [(n.rule, n.action) for n in parts.corrected] == [
        ("positions.employee_speaks", "dropped"),
        ("positions.employee_speaks", "dropped"),
    ]


def test_an_organisation_that_acts_in_the_apposition_keeps_its_position() -> None:
    text = "Ana Ruiz, whose Liberal Party backed the bill, said she would sign it."
    people = [
        Participant(name="Ana Ruiz", kind="person"),
        Participant(name="Liberal Party", kind="organization"),
    ]
    parts = run(text, people, "Ana Ruiz", "Liberal Party")
    assert [q.actor for q in parts.positions] == ["Ana Ruiz", "Liberal Party"]
    assert parts.corrected == []


def test_an_organisation_that_speaks_itself_keeps_its_position() -> None:
    text = "Osland Ales said the ban would be good for business, Ed Berg added."
    people = [Participant(name="Osland Ales", kind="organization")]
    parts = run(text, people, "Osland Ales")
    assert [q.actor for q in parts.positions] == ["Osland Ales"]


def test_an_organisation_after_of_or_von_is_the_speakers_employer() -> None:
    text = "Verkehrsforscher Ed Berg von der Universität Velsk sagte, das Limit helfe."
    people = [Participant(name="Universität Velsk", kind="organization")]
    parts = run(text, people, "Universität Velsk")
    assert [q.actor for q in parts.positions] == ["Ed Berg"]
    assert [(p.name, p.affiliation) for p in parts.participants] == [
        ("Ed Berg", "Universität Velsk")
    ]
