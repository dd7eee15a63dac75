"""Phrases the model stopped mid-way lose their dangling ending (wording.py)."""

from __future__ import annotations

import pytest

from communique.grounding.context import GroundedParts
from communique.grounding.rules.wording import (
    article_scripts,
    cut_dangling,
    cut_foreign,
    drop_preamble,
    tidy_cut_phrases,
    tidy_foreign_script,
)
from communique.ingest.article import Article
from communique.models import Evidence, NextStep, Participant, Position, Proposal


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        (
            "Trump expressed impatience with the talks, so",
            "Trump expressed impatience with the talks…",
        ),
        ("A working group is to report on the", "A working group is to report on…"),
        ("Quiroga accused the government of ", "Quiroga accused the government…"),
        ("Talks resume on Monday.", "Talks resume on Monday."),  # a finished sentence
        ('He said it is "a plan to"', 'He said it is "a plan to"'),  # ends on a quote
        ("The deal they agreed on", "The deal they agreed on"),  # 'on' may end a phrase
        ("and", "and"),  # nothing would be left
        ("a deal to offer Turkey that will", "a deal to offer Turkey…"),
        ("The vote is expected in May", "The vote is expected in May"),  # a month
        ("Adams said he believed Mr.", "Adams said he believed…"),
        (  # exactly the schema's cap (80): the cap fell inside "meant"
            "Ministers said the target meant tax rises and cuts, Ministers said the target me",
            "Ministers said the target meant tax rises and cuts, Ministers said the target…",
        ),
        ("Adams said he believed in Mr. Paisley.", "Adams said he believed in Mr. Paisley."),
        (  # 79 characters: the model's last space was stripped before the cap
            "The Conservatives, who will launch a new advertising campaign on Thursday warni",
            "The Conservatives, who will launch a new advertising campaign on Thursday…",
        ),
    ],
)
def test_cut_dangling(text: str, tidy: str) -> None:
    assert cut_dangling(text, "The Conservatives will launch it", caps=frozenset({80})) == tidy


def test_under_the_cap_with_no_source_nothing_is_cut() -> None:
    title = "The Conservatives, who will launch a new advertising campaign on Thursday warni"
    assert cut_dangling(title, caps=frozenset({80})) == title  # 79: only the cap itself


def test_actions_and_summaries_are_tidied_and_reported() -> None:
    q = Evidence(quote="Talks resume.", start=0, end=13, sentence=1)
    parts = GroundedParts(
        positions=[Position(actor="EU", stance="support", summary="EU backs the", evidence=[q])],
        next_steps=[NextStep(action="Talks resume with", evidence=[q])],
    )
    tidy_cut_phrases(parts)
    assert parts.positions[0].summary == "EU backs…"
    assert parts.next_steps[0].action == "Talks resume…"
    assert [d.item for d in parts.corrected] == ["next_steps[0].action", "positions[0].summary"]


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        ("It stresses the plan is 'a临时' proposal", "It stresses the plan…"),
        ("and said her政府 would appeal", "and said…"),  # the glued word goes too
        ("Talks resume. 会谈将继续", "Talks resume."),
        ("临时", ""),
        ("Café crème, São Paulo, Łódź", "Café crème, São Paulo, Łódź"),  # Latin letters
        ("Путин said", ""),
    ],
)
def test_cut_foreign(text: str, tidy: str) -> None:
    assert cut_foreign(text, article_scripts("Le café est prêt à São Paulo.")) == tidy


def test_a_script_the_article_uses_is_kept() -> None:
    scripts = article_scripts("Путин заявил, что переговоры продолжатся.")
    assert (
        cut_foreign("Putin (Путин) said talks go on", scripts) == "Putin (Путин) said talks go on"
    )


def test_text_in_a_foreign_script_is_cut_everywhere_and_reported() -> None:
    q = Evidence(quote="Talks resume.", start=0, end=13, sentence=1)
    parts = GroundedParts(
        headline="会谈",
        gist="Talks resume. 会谈",
        proposal=Proposal(statement="临时", status="proposed", evidence=[q]),
        participants=[Participant(name="EU", kind="organization", role="欧盟")],
        positions=[Position(actor="EU", stance="support", summary="支持", evidence=[q])],
        next_steps=[
            NextStep(action="会谈", evidence=[q]),
            NextStep(action="Talks resume on the 星期一", evidence=[q]),
        ],
    )
    tidy_foreign_script(parts, Article(text="Talks resume.", id="t", title="Talks"))
    assert (parts.headline, parts.gist) == ("Talks", "Talks resume.")
    assert parts.proposal is not None and parts.proposal.statement == "Talks resume."
    assert parts.participants[0].role is None
    assert parts.positions[0].summary == "EU: support"
    assert [s.action for s in parts.next_steps] == ["Talks resume on…"]
    assert len(parts.corrected) == 7
    assert all("a script the article does not use" in c.reason for c in parts.corrected)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("The article states that talks resume on Monday.", "Talks resume on Monday."),
        ("This report says the EU will vote", "The EU will vote"),
        ("The article was written on Monday.", "The article was written on Monday."),
        ("The text states that", "The text states that"),  # nothing would be left
    ],
)
def test_drop_preamble(text: str, plain: str) -> None:
    assert drop_preamble(text) == plain


def test_a_preamble_and_a_dangling_end_are_both_cut_and_reported() -> None:
    q = Evidence(quote="Talks resume.", start=0, end=13, sentence=1)
    parts = GroundedParts(
        next_steps=[NextStep(action="The article states that talks resume with", evidence=[q])]
    )
    tidy_cut_phrases(parts)
    assert parts.next_steps[0].action == "Talks resume…"
    assert len(parts.corrected) == 2


def test_a_headline_and_a_proposal_cut_at_their_caps_lose_the_cut_word() -> None:
    q = Evidence(quote="The accord raises wages.", start=0, end=24, sentence=1)
    role = "chairman of Kmart Holding Corp. and K-Ma"
    headline = "Routiers: accord final, fin de la greve et de la menace sur les approvisionnem"
    headline = f"{'x' * (100 - len(headline))}{headline}"
    statement = "The accord raises wages by 4 percent for drivers and includes increases in sal"
    statement = f"{'y' * (200 - len(statement))}{statement}"
    parts = GroundedParts(
        participants=[Participant(name="Ed Lamp", kind="person", role=role)],
        headline=headline,
        proposal=Proposal(statement=statement, status="agreed", evidence=[q]),
    )
    tidy_cut_phrases(parts)
    assert len(headline) == 100 and parts.headline.endswith(
        "de la menace…"
    )  # and its dangling "sur les"
    assert len(statement) == 200 and parts.proposal is not None
    assert parts.proposal.statement.endswith("includes increases…")  # and its dangling "in"
    assert len(role) == 40 and parts.participants[0].role == "chairman of Kmart Holding Corp.…"
    assert [d.item for d in parts.corrected] == [
        "headline",
        "participants[0].role",
        "proposal.statement",
    ]


def test_a_headline_left_in_the_articles_language_becomes_the_gists_opening() -> None:
    from communique.grounding.rules.wording import headline_in_english

    article = Article(
        text="Les routiers ont signé un accord avec le patronat et la grève est levée."
    )
    parts = GroundedParts(
        headline="Routiers : un accord met fin à la grève et à la menace sur les fêtes",
        gist="Truck drivers signed a deal with employers. The strike is over.",
    )
    headline_in_english(parts, article)
    assert parts.headline == "Truck drivers signed a deal with employers"
    assert parts.corrected[0].item == "headline"
    english = GroundedParts(headline="Truckers end strike", gist="Truck drivers signed.")
    headline_in_english(english, article)  # already English: kept
    assert english.headline == "Truckers end strike" and not english.corrected


@pytest.mark.parametrize(
    ("text", "cap", "expected"),
    [
        ("They said it would begin an info", 32, "They said it would begin…"),  # at the cap
        ("The deal they agreed on", 60, "The deal they agreed on"),  # whole: not cut off
        (  # twelve words, the follow-up's limit: a last preposition dangles
            "Military planners from both countries will convene again next week in London on",
            200,
            "Military planners from both countries will convene again next week in London…",
        ),
    ],
)
def test_a_cut_off_text_loses_its_cut_word_and_a_dangling_preposition(
    text: str, cap: int, expected: str
) -> None:
    assert cut_dangling(text, "", frozenset({cap})) == expected
