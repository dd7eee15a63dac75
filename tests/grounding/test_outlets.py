"""Newspapers, broadcasters and journalists are sources, not actors (outlets.py).
Invented text only."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.outlets import drop_news_outlets, is_source
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, NextStep, Participant, Position

TEXT = (
    "The Harbour Board will vote on the levy next month, according to the Valley Courier. "
    '"We are ready," board chair Mira Holt told the broadcaster RTV. '
    "The Courier reported that the mayor backs it; the Courier's political editor Ann Lark "
    "said the vote was close. Tom Reyes, a columnist for the Gazette, called it a tax grab. "
    "The Gazette cited officials. According to the Gazette, traders oppose it. "
    "The Harbour Board reported a surplus."
)
QUOTE = Evidence(quote="The Harbour Board", start=0, end=17, sentence=1)


def org(name: str, *aliases: str) -> Participant:
    return Participant(name=name, kind="organization", aliases=list(aliases))


def person(name: str) -> Participant:
    return Participant(name=name, kind="person")


def test_outlets_and_journalists_are_told_by_the_articles_wording() -> None:
    text = " ".join(TEXT.casefold().split())
    assert is_source(org("RTV"), text)  # "the broadcaster RTV"
    assert is_source(org("Valley Courier", "Courier"), text)  # "the Courier's political editor"
    assert is_source(org("Gazette"), text)  # cited twice as a source of reporting
    assert is_source(person("Ann Lark"), text)  # "political editor Ann Lark"
    assert is_source(person("Tom Reyes"), text)  # "Tom Reyes, a columnist for ..."
    assert is_source(org("Harbour Board"), text) is None  # reported once: officials do
    assert is_source(person("Mira Holt"), text) is None


def test_a_german_outlet_reporting_twice_is_a_source() -> None:
    text = (
        "das tagesblatt berichtete, der rat wolle sparen. das tagesblatt zitierte den "
        "kassenwart. laut ministerin berger ist das falsch. laut ministerin berger fehlt geld."
    )
    assert is_source(org("Tagesblatt"), text)  # press verbs only: "berichtete", "zitierte"
    assert is_source(org("Ministerin Berger"), text) is None  # "laut" quotes officials too


def test_papers_cited_together_or_by_a_short_form_are_sources() -> None:
    text = (
        "according to le courrier du nord and la voix, the mayor backs the levy. "
        "le courrier reported that traders object. la voix cited the port. "
        "according to the ministry of ports and the harbour board, work starts soon."
    )
    assert is_source(org("Le Courrier du Nord"), text)  # "according to X and", "Le Courrier"
    assert is_source(org("La Voix"), text)  # "according to ... and La Voix", "cited"
    assert is_source(org("Harbour Board"), text) is None  # once: officials are cited so too


def test_a_source_is_dropped_with_its_positions_unless_a_step_names_it() -> None:
    ctx = GroundingContext(Article(text=TEXT), split_sentences(TEXT))
    parts = GroundedParts(
        participants=[org("Harbour Board"), org("Gazette"), person("Ann Lark"), org("RTV")],
        positions=[
            Position(actor="Gazette", stance="oppose", summary="A tax grab.", evidence=[QUOTE]),
            Position(actor="Harbour Board", stance="support", summary="Ready.", evidence=[QUOTE]),
        ],
        next_steps=[NextStep(action="RTV airs the vote", actor="RTV", evidence=[QUOTE])],
    )
    drop_news_outlets(parts, ctx)
    assert [p.name for p in parts.participants] == ["Harbour Board", "RTV"]
    assert [p.actor for p in parts.positions] == ["Harbour Board"]
    assert [n.rule for n in parts.corrected] == ["participants.news_outlet"] * 3
    assert "'Gazette' is a news outlet" in parts.corrected[0].reason


def test_switched_off_it_drops_nothing() -> None:
    ctx = GroundingContext(Article(text=TEXT), split_sentences(TEXT))
    parts = GroundedParts(
        participants=[org("Gazette")], switches=Switches(frozenset({"participants.news_outlet"}))
    )
    drop_news_outlets(parts, ctx)
    assert [p.name for p in parts.participants] == ["Gazette"]
