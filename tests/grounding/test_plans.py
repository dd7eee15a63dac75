"""Next steps found by code: a sentence stating a plan with a time ahead that no step
cites is added (plans.py). Invented text only."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.plans import (
    MAX_ADDED,
    MAX_ARRANGED,
    add_arranged_plans,
    add_timed_plans,
    ahead,
)
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Evidence, NextStep, Participant

DAY = dt.date(2024, 3, 6)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "when"),
    [
        (
            "The ministers pledged to cut emissions over the next five years.",
            "over the next five years",
        ),
        ("The harbour board will vote on the levy next April.", "next April"),
        (
            "The merger, expected to close by the end of March 2025, needs approval.",
            "by the end of March 2025",
        ),
        ('"We will review it in the next few months," Ms Varga said.', "in the next few months"),
        ("Talks will resume on Friday.", "on Friday"),
        ("The pay cap will apply from 2026.", "from 2026"),
        (
            'La réforme se fera "dans les plus brefs délais", a assuré le ministre.',
            "dans les plus brefs délais",
        ),
        ("El consejo votará la tasa antes de fin de año, dijo.", "antes de fin de año"),
        ('"The port can reopen very soon," she said.', "very soon"),
        ("Su mensaje pide al público llamar de inmediato a los concejales.", "de inmediato"),
        ("The board urged members to reply immediately.", None),  # no time only ahead
        ("The truce would hold for an initial three weeks.", "for an initial three weeks"),
        ("As early as Friday 60 leaders will be in Velsk.", "As early as Friday"),
    ],
)
def test_a_plan_with_a_time_ahead_is_found(text: str, when: str | None) -> None:
    assert ahead(text, DAY) == when


@pytest.mark.parametrize(
    "text",
    [
        "Officials said on Friday that talks will resume.",  # the day dates the saying
        '"We have come further than anyone thought we would," he said in an address on Monday.',
        "Every litre we save today will help.",  # today is no time ahead
        "The levy will apply from 2019.",  # a year before the article
        "The board met on Friday and next April is far away.",  # no plan's verb
        "The rules changed in May and will stay.",  # which May is not said
        "Exports fell over the last five years.",
        "The levy could cut shipments by 40% within a year.",  # "could" forecasts
        "The port may reopen soon, analysts said.",
        "He served for another two years.",  # no plan's verb
        "Sales will rise as early as week two of the offer.",  # no time: "week" alone
    ],
)
def test_no_plan_or_no_time_ahead_is_not_found(text: str) -> None:
    assert ahead(text, DAY) is None


def _context(text: str) -> GroundingContext:
    return GroundingContext(Article(text=text, date=DAY), split_sentences(text))


def _cite(ctx: GroundingContext, number: int) -> Evidence:
    s = ctx.sentences[number - 1]
    return Evidence(quote=s.text, start=s.start, end=s.end, sentence=number)


def test_a_timed_plan_no_step_cites_is_added_with_its_actor_and_time() -> None:
    text = (
        "Talks will resume on Friday. "
        "The Harbour Board will vote on the levy next April. "
        "The cooperative called a march in Dorne next week. "
        "Analysts expect little."
    )
    ctx = _context(text)
    parts = GroundedParts(
        participants=[
            Participant(name="Harbour Board", kind="organization"),
            Participant(name="Dorne", kind="country"),
        ],
        next_steps=[NextStep(action="Talks resume", when="on Friday", evidence=[_cite(ctx, 1)])],
    )
    add_timed_plans(parts, ctx)
    added = parts.next_steps[1:]
    assert [(s.action, s.actor, s.when) for s in added] == [
        ("The Harbour Board will vote on the levy next April", "Harbour Board", "next April"),
        ("The cooperative called a march in Dorne next week", None, "next week"),  # a place
    ]
    assert all(s.evidence[0].quote == text[s.evidence[0].start : s.evidence[0].end] for s in added)
    assert [n.rule for n in parts.corrected] == ["steps.timed_plan"] * 2
    assert parts.corrected[0].action == "added"


def test_the_plan_after_its_speaker_is_the_action_and_few_are_added() -> None:
    text = " ".join(
        f"Minister {n} said the agency would publish list {n} within 30 days." for n in "ABCDEF"
    )
    parts = GroundedParts()
    add_timed_plans(parts, _context(text))
    assert len(parts.next_steps) == MAX_ADDED
    assert parts.next_steps[0].action == "the agency would publish list A within 30 days"
    parts = GroundedParts()
    add_timed_plans(parts, _context("According to Ms Holt, the board will vote next April."))
    assert parts.next_steps[0].action == "the board will vote next April"


def test_over_the_limit_sentences_in_their_own_voice_come_before_quotes() -> None:
    quoted = " ".join(f'"We will win vote {n} next year," Minister {n} said.' for n in "ABCD")
    text = f"{quoted} The harbour board will vote on the levy next April."
    parts = GroundedParts()
    add_timed_plans(parts, _context(text))
    assert [s.evidence[0].sentence for s in parts.next_steps] == [1, 2, 3, 5]  # article order
    assert parts.next_steps[-1].when == "next April"


def test_switched_off_it_adds_nothing() -> None:
    parts = GroundedParts(switches=Switches(frozenset({"steps.timed_plan"})))
    add_timed_plans(parts, _context("The board will vote next April."))
    assert parts.next_steps == [] and parts.corrected == []


def test_an_arrangement_without_a_time_is_added_once_in_its_own_voice() -> None:
    text = (
        "The Harbour Board was due to meet the mayor of Dorne yesterday. "
        "Both ports will have to change their tariffs. "
        "The new port is expected to reach 2 million containers a year. "
        '"There will be a price to pay," said Ana Ruiz. '
        "Talks are expected to resume next week."
    )
    ctx = _context(text)
    parts = GroundedParts(
        participants=[Participant(name="Harbour Board", kind="organization")],
        next_steps=[NextStep(action="Board meets the mayor", evidence=[_cite(ctx, 1)])],
    )
    add_arranged_plans(parts, ctx)
    added = [s for s in parts.next_steps if s.evidence[0].sentence != 1]
    assert [(s.evidence[0].sentence, s.action, s.when) for s in added] == [
        (2, "Both ports will have to change their tariffs", None),
        (5, "Talks are expected to resume next week", "next week"),
    ]  # 1 is cited, 3 is a forecast, 4 is a quote
    assert [(n.rule, n.item, n.action) for n in parts.corrected] == [
        ("steps.arranged_plan", "article.s2", "added"),
        ("steps.arranged_plan", "article.s5", "added"),
    ]


def test_an_arrangement_names_its_actor_and_few_are_added() -> None:
    parts = GroundedParts(participants=[Participant(name="Harbour Board", kind="organization")])
    add_arranged_plans(parts, _context("The Harbour Board is scheduled to vote on the levy."))
    assert [(s.actor, s.when) for s in parts.next_steps] == [("Harbour Board", None)]
    text = " ".join(f"Panel {n} is due to report." for n in "ABCDEF")
    parts = GroundedParts()
    add_arranged_plans(parts, _context(text))
    assert len(parts.next_steps) == MAX_ARRANGED
    off = GroundedParts(switches=Switches(frozenset({"steps.arranged_plan"})))
    add_arranged_plans(off, _context(text))
    assert off.next_steps == [] and off.corrected == []


# German, on invented sentences (no German article is measured)
TAG = dt.date(2027, 5, 19)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "when"),
    [
        (
            "Ministerin Anna Berger sagte am Dienstag, der Bundestag werde am 3. Juni 2027 "
            "über das Gesetz abstimmen.",
            "am 3. Juni 2027",
        ),
        ("Das Gesetz soll bis Ende Juni 2031 in Kraft treten.", "bis Ende Juni 2031"),
        ("Die Stadt will ab 2028 keine Kohle mehr verbrennen.", "ab 2028"),
        ("Das Gesetz soll Ende 2027 gelten.", "Ende 2027"),
        ("Der Bericht soll im Frühjahr 2028 erscheinen.", "im Frühjahr 2028"),
        ("Der Verband wird nächste Woche neue Zahlen vorlegen.", "nächste Woche"),
        (
            "Die Kommission will die Regeln in den kommenden Monaten ändern.",
            "in den kommenden Monaten",
        ),
        ("Der Stadtrat wird morgen entscheiden.", "morgen"),
        ("Die Regel soll schon bald gelten.", "bald"),
        ("Der Bundestag werde am 3. Juni abstimmen, sagte Berger am Dienstag.", "am 3. Juni"),
    ],
)
def test_a_german_plan_with_a_time_ahead_is_found(text: str, when: str) -> None:
    assert ahead(text, TAG) == when


@pytest.mark.parametrize(
    "text",
    [
        "La commission devra publier son avis.",
        "Le vote est prévu pour la fin du mois.",
        "El comité deberá revisar la tasa.",
        "La votación está prevista para el martes.",
        "Der Ausschuss soll das Gesetz prüfen.",
        "Eine Abstimmung ist geplant.",
        # an institution's act to come, in the passive
        "Similar rules will be adopted in Velsk.",
        "Le texte sera examiné au Sénat.",
        "La ley será votada en el Senado.",
    ],
)
def test_an_arrangement_is_found_in_french_spanish_and_german(text: str) -> None:
    parts = GroundedParts()
    add_arranged_plans(parts, _context(text))
    assert [n.rule for n in parts.corrected] == ["steps.arranged_plan"]


def test_a_german_quote_is_not_an_arrangement() -> None:
    parts = GroundedParts()
    add_arranged_plans(parts, _context("„Das soll sich ändern“, sagte Anna Berger."))
    assert parts.next_steps == []


@pytest.mark.parametrize(
    "text",
    [
        "Vor drei Wochen hatte der Minister gesagt, er werde das Gesetz ändern.",  # past
        "Der Rat hatte am 3. März 2026 beschlossen, die Gebühr werde steigen.",  # a past date
        "Die Abgabe wird seit dem 1. Juni erhoben.",  # since: past
        "Die Abgabe soll ab 2019 gelten.",  # a year before the article
        "Die Gebühr soll im Juni steigen.",  # which June is not said
        "Der Stadtrat wird am Morgen tagen.",  # the morning, not tomorrow
        "Der Stadtrat wird heute tagen.",  # today is no time ahead
        "Der Bundestag stimmte am Dienstag ab.",  # no plan's verb
        "The bald mayor will speak.",  # the English adjective is no "soon"
    ],
)
def test_no_german_plan_or_no_time_ahead_is_not_found(text: str) -> None:
    assert ahead(text, TAG) is None


def test_a_german_timed_plan_is_added_without_its_speaker() -> None:
    text = (
        "Der Bundestag werde am 3. Juni 2027 über das Gesetz abstimmen, sagte Ministerin "
        "Anna Berger. "
        "Berger sagte, der Bundestag werde bis Ende Juni 2031 entscheiden. "
        "Nach Angaben von Anna Berger soll die Kommission nächste Woche tagen. "
        "„Wir werden die Gebühr im Herbst 2028 senken“, sagte Anna Berger. "
        "Am Mittwoch kündigte Berger an, die Kommission werde morgen tagen."
    )
    ctx = GroundingContext(Article(text=text, date=TAG), split_sentences(text))
    parts = GroundedParts(
        participants=[
            Participant(name="Bundestag", kind="organization"),
            Participant(name="Anna Berger", kind="person"),
        ]
    )
    add_timed_plans(parts, ctx)
    assert [(s.action, s.actor, s.when, s.when_iso) for s in parts.next_steps] == [
        (
            "Der Bundestag werde am 3. Juni 2027 über das Gesetz abstimmen",
            "Bundestag",
            "am 3. Juni 2027",
            dt.date(2027, 6, 3),
        ),
        (
            "der Bundestag werde bis Ende Juni 2031 entscheiden",
            "Bundestag",
            "bis Ende Juni 2031",
            None,
        ),
        (
            "Nach Angaben von Anna Berger soll die Kommission nächste Woche tagen",
            None,  # the source, not the actor
            "nächste Woche",
            None,
        ),
        # five plans, MAX_ADDED places: the quote („Wir werden ...“) gives way
        ("die Kommission werde morgen tagen", None, "morgen", dt.date(2027, 5, 20)),
    ]
    assert len(parts.next_steps) == MAX_ADDED
    parts = GroundedParts()
    add_timed_plans(parts, GroundingContext(Article(text=text, date=TAG), ctx.sentences[3:4]))
    assert (parts.next_steps[0].action, parts.next_steps[0].when_iso) == (
        "Wir werden die Gebühr im Herbst 2028 senken",
        None,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Schools will be protected from future cuts.",  # a claim, not an act to come
        "The board will be dominated by Osland directors.",
        "Even where smoking will be allowed, the bar stays smoke-free.",
    ],
)
def test_a_passive_future_that_is_no_act_is_no_arrangement(text: str) -> None:
    parts = GroundedParts()
    add_arranged_plans(parts, _context(text))
    assert parts.next_steps == []
