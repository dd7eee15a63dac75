"""Analysts comment without taking a side (grounding/rules/analysts.py). Invented text."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.participants import plain
from communique.grounding.rules.analysts import analyst, neutral_analysts
from communique.ingest.article import Article
from communique.ingest.sentences import Sentence, split_sentences
from communique.models import Evidence, Participant, Position


@pytest.mark.parametrize(
    "text",
    [
        '"Compliance may be an issue," said Osland Bank\'s analyst Ana Ruiz.',
        "Ana Ruiz, an analyst at Osland Bank, said the cap would not hold.",
        "Ana Ruiz, chief economist at Osland Bank, doubted the plan.",
        "Osland Bank oil strategist Ana Ruiz called it a first step.",
        "« C'est un début », a dit l'économiste Ana Ruiz.",
        "Ana Ruiz, analista de Banco Osland, dijo que el plan es un paso.",
    ],
)
def test_a_person_introduced_as_an_analyst(text: str) -> None:
    assert analyst("Ana Ruiz", plain(text))


@pytest.mark.parametrize(
    "text",
    [
        "Port Minister Ana Ruiz said the cap would hold.",
        "Ana Ruiz said analysts doubted the cap.",  # she speaks about analysts
        "Analysts were divided. Ana Ruiz, the port's director, backed the cap.",
        "Ana Ruiz met economists and bankers on Monday.",
    ],
)
def test_a_person_not_introduced_as_an_analyst(text: str) -> None:
    assert not analyst("Ana Ruiz", plain(text))


TEXT = (
    "The Osland port levy was agreed on Monday. Port Minister Tom Berg backed it. "
    '"It may not hold," said Osland Bank\'s analyst Ana Ruiz. '
    "Lena Holt, an economist at Marlow College, called the levy wrong."
)


def _cite(s: Sentence) -> Evidence:
    return Evidence(quote=s.text, start=s.start, end=s.end, sentence=s.number)


def _finish() -> GroundedParts:
    sentences = split_sentences(TEXT)
    people = ["Tom Berg", "Ana Ruiz", "Lena Holt"]
    parts = GroundedParts(
        participants=[Participant(name=n, kind="person") for n in people],
        positions=[
            Position(actor=actor, stance=stance, summary="It spoke.", evidence=[_cite(s)])
            for actor, stance, s in (
                ("Tom Berg", "support", sentences[1]),
                ("Ana Ruiz", "support", sentences[2]),
                ("Lena Holt", "oppose", sentences[3]),
            )
        ],
    )
    neutral_analysts(parts, GroundingContext(Article(text=TEXT), sentences, people))
    return parts


def test_an_analysts_support_becomes_neutral_and_other_stances_stand() -> None:
    parts = _finish()
    stances = {p.actor: p.stance for p in parts.positions}
    # the minister keeps his side; the economist who calls the levy wrong opposes it
    assert stances == {"Tom Berg": "support", "Ana Ruiz": "neutral", "Lena Holt": "oppose"}
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("positions.analyst_neutral", "positions[1].stance", "corrected")
    ]
