"""A person's role copied from the words right before the name (roles.py)."""

from __future__ import annotations

import pytest

from communique.models import Participant
from communique.roles import stated_role, with_roles


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
    given = [
        person("Ana Petrova", role="minister"),
        person("Samuel Ibe"),
        Participant(name="Dock Union", kind="organization", aliases=[]),
    ]
    roles = [p.role for p in with_roles(given, text)]
    assert roles == ["minister", "Labour Minister", None]
