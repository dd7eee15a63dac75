"""A person's role copied from the words right before the name (roles.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.grounding.context import GroundedParts, GroundingContext
from communique.grounding.rules.roles import PROMPT_EXAMPLE_ROLE, ground_roles, stated_role
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.models import Participant

ROOT = Path(__file__).resolve().parents[2]


def context(text: str) -> GroundingContext:
    return GroundingContext(Article(text=text), split_sentences(text), [])


def person(name: str, *aliases: str, role: str | None = None) -> Participant:
    return Participant(name=name, kind="person", role=role, aliases=list(aliases))


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("PARIS\nFrench President Emmanuel Macron said", "French President"),
        ("talks with EU Trade Commissioner Emmanuel Macron ended", "EU Trade Commissioner"),
        ("Lib Dem health spokesman Emmanuel Macron said", "Lib Dem health spokesman"),
        ('"No," said chamber chief executive Emmanuel Macron.', "chamber chief executive"),
        ("Ukraine's President Emmanuel Macron", "Ukraine's President"),
        ("Trade Minister Dr. Emmanuel Macron said", "Trade Minister"),
        ("Mayor Emmanuel Macron", "Mayor"),
    ],
)
def test_the_words_before_the_name(text: str, role: str) -> None:
    assert stated_role(person("Emmanuel Macron"), text) == role


@pytest.mark.parametrize(
    "text",
    [
        "Speaking on Saturday, Emmanuel Macron said",  # a comma ends the phrase
        "The talks ended. Emmanuel Macron said",  # so does a sentence
        "Dr. Emmanuel Macron said",  # an honorific alone is no role
        "the party of Emmanuel Macron",  # no title word
        "He met the Brennock Tigers Emmanuel Macron",  # capitalised, but not a title
    ],
)
def test_no_role_stated(text: str) -> None:
    assert stated_role(person("Emmanuel Macron"), text) is None


def test_the_first_mention_with_a_role_counts_and_surnames_alone_do_not() -> None:
    text = "Macron spoke. Later, President Macron and French President Emmanuel Macron met."
    assert stated_role(person("Emmanuel Macron", "Macron"), text) == "French President"


def test_only_people_without_a_role_get_one() -> None:
    text = "Health Minister Ana Petrova and Labour Minister Samuel Ibe met the Dock Union."
    parts = GroundedParts(
        participants=[
            person("Ana Petrova", role="minister"),
            person("Samuel Ibe"),
            Participant(name="Dock Union", kind="organization", aliases=[]),
        ]
    )
    ground_roles(parts, context(text))
    assert [p.role for p in parts.participants] == ["minister", "Labour Minister", None]
    assert parts.corrected == []


def test_a_copied_role_the_article_does_not_back_is_dropped_and_reported() -> None:
    text = "Saudi Arabia and Russia agreed. Oil Minister Ali al-Naimi hosted the signing."
    parts = GroundedParts(
        participants=[
            Participant(name="Saudi Arabia", kind="country", role="French President", aliases=[]),
            Participant(name="Russia", kind="country", role="hosting the signing", aliases=[]),
            person("Ali al-Naimi", role="hosting the signing"),  # "hosting": never written
            person("Ines Kalder", role="Saudi Energy Minister"),  # one paraphrase: it stands
        ]
    )
    ground_roles(parts, context(text))
    roles = [p.role for p in parts.participants]
    assert roles == [None, None, "Oil Minister", "Saudi Energy Minister"]
    assert [d.item for d in parts.corrected] == [f"participants[{i}].role" for i in range(3)]


def test_the_prompt_example_is_the_one_the_template_gives() -> None:
    template = (ROOT / "prompts" / "summarize.system.j2").read_text(encoding="utf-8")
    assert f'"{PROMPT_EXAMPLE_ROLE}"' in template
