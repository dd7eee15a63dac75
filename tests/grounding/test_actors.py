"""One actor, one participant: an acronym or a company suffix is another form of a name."""

from __future__ import annotations

from communique.grounding.context import GroundedParts
from communique.grounding.rules.actors import correct_kinds, drop_news_agencies, merge_same_actors
from communique.models import Evidence, NextStep, Participant, Position

EV = [Evidence(quote="The EU agreed.", start=0, end=14, sentence=1)]


def _parts() -> GroundedParts:
    return GroundedParts(
        participants=[
            Participant(name="EU", kind="organization"),
            Participant(name="Turkey", kind="country"),
            Participant(name="Sears Holdings Corp", kind="organization"),
            Participant(name="European Union", kind="organization", aliases=["Union"]),
            Participant(name="Sears Holdings", kind="organization"),
            Participant(name="United States", kind="country"),
            Participant(name="Sears", kind="organization"),
        ],
        positions=[
            Position(actor="EU", stance="support", summary="Backs it.", evidence=EV),
            Position(actor="European Union", stance="oppose", summary="No.", evidence=EV),
            Position(actor="Turkey", stance="support", summary="Backs it.", evidence=EV),
        ],
        next_steps=[NextStep(action="Vote", actor="EU", evidence=EV)],
    )


def test_forms_of_one_name_become_one_participant() -> None:
    parts = _parts()
    merge_same_actors(parts)
    names = {p.name: p.aliases for p in parts.participants}
    assert names == {
        "European Union": ["Union", "EU"],
        "Turkey": [],
        "Sears Holdings Corp": ["Sears Holdings"],
        "United States": [],
        "Sears": [],  # a shorter name, not a suffix away: maybe another company
    }
    assert parts.participants[0].name == "European Union"  # the first place is kept


def test_positions_and_steps_follow_the_kept_name() -> None:
    parts = _parts()
    merge_same_actors(parts)
    assert [(p.actor, p.stance) for p in parts.positions] == [
        ("European Union", "support"),  # the first position stands
        ("Turkey", "support"),
    ]
    assert parts.next_steps[0].actor == "European Union"
    assert any(
        "'European Union' already has a position under another" in d.reason for d in parts.corrected
    )


def test_nothing_to_merge_changes_nothing() -> None:
    parts = GroundedParts(participants=[Participant(name="US", kind="country")])
    merge_same_actors(parts)
    assert parts.participants == [Participant(name="US", kind="country")]


def test_a_news_agency_without_a_part_is_not_a_participant() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Reuters", kind="organization"),
            Participant(name="Associated Press", kind="organization"),
            Participant(name="Turkey", kind="country"),
        ],
        positions=[Position(actor="Associated Press", stance="oppose", summary="x", evidence=EV)],
    )
    drop_news_agencies(parts)
    assert [p.name for p in parts.participants] == ["Associated Press", "Turkey"]
    assert "news agency" in parts.corrected[0].reason


def test_singular_and_plural_forms_are_one_name() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Sears Holding Corp", kind="organization"),
            Participant(name="Kmarts", kind="organization"),
            Participant(name="Sears Holdings", kind="person"),
            Participant(name="Kmart", kind="organization"),
        ]
    )
    merge_same_actors(parts)
    assert [(p.name, p.kind, p.aliases) for p in parts.participants] == [
        ("Sears Holding Corp", "organization", ["Sears Holdings"]),
        ("Kmarts", "organization", ["Kmart"]),  # as many words: the first listed is kept
    ]


def test_a_legal_name_with_stores_or_group_is_the_short_name() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Wal-Mart", kind="organization"),
            Participant(name="Wal-Mart Stores Inc", kind="organization"),
            Participant(name="Home Depot", kind="organization"),
            Participant(name="Home Depot Stores", kind="organization"),  # no suffix: two
        ]
    )
    merge_same_actors(parts)
    names = {p.name: p.aliases for p in parts.participants}
    assert names == {
        "Wal-Mart Stores Inc": ["Wal-Mart"],
        "Home Depot": [],
        "Home Depot Stores": [],
    }


def test_a_capital_written_for_its_government_joins_its_country() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Ankara", kind="country"),
            Participant(name="Turkey", kind="country"),
            Participant(name="North Korea", kind="country"),
            Participant(name="Pyongyang", kind="country"),
            Participant(name="Washington", kind="country"),
            Participant(name="U.S.", kind="country"),
            Participant(name="Brussels", kind="country"),  # written for the EU, not Belgium
            Participant(name="Belgium", kind="country"),
            Participant(name="EU", kind="organization"),
            Participant(name="Moscow", kind="country"),  # Russia is not listed
        ],
        positions=[
            Position(actor="Ankara", stance="support", summary="Backs it.", evidence=EV),
            Position(actor="Turkey", stance="oppose", summary="No.", evidence=EV),
        ],
        next_steps=[NextStep(action="Pyongyang tests a missile", actor="Pyongyang", evidence=EV)],
    )
    merge_same_actors(parts)
    names = {p.name: p.aliases for p in parts.participants}
    assert names == {
        "Turkey": ["Ankara"],
        "North Korea": ["Pyongyang"],
        "U.S.": ["Washington"],
        "EU": ["Brussels"],
        "Belgium": [],
        "Moscow": [],
    }
    assert [(p.actor, p.stance) for p in parts.positions] == [("Turkey", "support")]
    assert parts.next_steps[0].actor == "North Korea"
    assert {p.name: p.kind for p in parts.participants}["EU"] == "organization"


def test_one_actor_listed_twice_keeps_its_first_position() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="British Medical Association", kind="organization"),
            Participant(name="British Medical Association", kind="organization"),
        ],
        positions=[
            Position(
                actor="British Medical Association", stance="support", summary="Yes.", evidence=EV
            ),
            Position(
                actor="British Medical Association", stance="oppose", summary="No.", evidence=EV
            ),
        ],
    )
    merge_same_actors(parts)
    assert [p.stance for p in parts.positions] == ["support"]
    assert parts.corrected[0].reason == (
        "'British Medical Association' is listed twice; its first position is kept"
    )


def test_a_plural_in_ies_is_the_same_actor() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Tories", kind="organization"),
            Participant(name="Tory", kind="person"),
        ]
    )
    merge_same_actors(parts)
    assert [(p.name, p.aliases) for p in parts.participants] == [("Tories", ["Tory"])]


def test_a_name_with_and_without_the_arabic_article_is_one_actor() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Nusra", kind="country"),
            Participant(name="al-Nusra", kind="country"),
            Participant(name="Ali al-Naimi", kind="person"),
        ]
    )
    merge_same_actors(parts)
    assert [(p.name, p.aliases) for p in parts.participants] == [
        ("Nusra", ["al-Nusra"]),
        ("Ali al-Naimi", []),
    ]


def test_a_group_with_and_without_its_last_word_is_one_actor() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Nusra Front", kind="organization"),
            Participant(name="al-Nusra", kind="organization"),
            Participant(name="Labour", kind="organization"),
            Participant(name="Labour Party", kind="organization"),
            Participant(name="Front National", kind="organization"),  # no last word dropped
            Participant(name="National", kind="organization"),
        ]
    )
    merge_same_actors(parts)
    assert [(p.name, p.aliases) for p in parts.participants] == [
        ("Nusra Front", ["al-Nusra"]),
        ("Labour Party", ["Labour"]),
        ("Front National", []),
        ("National", []),
    ]


def test_a_kind_the_name_contradicts_is_corrected_and_reported() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="United States", kind="organization"),
            Participant(name="U.S.", kind="person"),
            Participant(name="England", kind="organization"),
            Participant(name="Islamic State", kind="person"),
            Participant(name="Free Syrian Army", kind="person"),
            Participant(name="EU", kind="country"),
            Participant(name="Hezbollah", kind="group"),  # no word says otherwise
            Participant(name="Kofi Annan", kind="person"),
            Participant(name="Nusra", kind="country"),  # unknown: left as the model said
        ]
    )
    correct_kinds(parts)
    assert [p.kind for p in parts.participants] == [
        "country",
        "country",
        "country",
        "organization",
        "organization",
        "organization",
        "group",
        "person",
        "country",
    ]
    assert [d.item for d in parts.corrected] == [f"participants[{i}].kind" for i in range(6)]
    assert parts.corrected[3].reason == (
        "kind 'person' -> 'organization': the name 'Islamic State' says so"
    )


def test_a_companys_one_word_short_name_is_the_same_actor() -> None:
    def org(name: str) -> Participant:
        return Participant(name=name, kind="organization")

    parts = GroundedParts(
        participants=[
            org("Northwind Rail Freight"),
            org("Carrow"),
            org("Northwind"),
            org("Carrow Logistics"),
            org("Sears Holdings"),  # a holding company: another actor
            org("Sears"),
            org("Ford Foundation"),  # a body of its own
            org("Ford"),
            Participant(name="Carrow Shire", kind="country"),  # not an organization
        ]
    )
    merge_same_actors(parts)
    assert [(p.name, p.aliases) for p in parts.participants] == [
        ("Northwind Rail Freight", ["Northwind"]),
        ("Carrow Logistics", ["Carrow"]),
        ("Sears Holdings", []),
        ("Sears", []),
        ("Ford Foundation", []),
        ("Ford", []),
        ("Carrow Shire", []),
    ]


def test_an_accented_organisation_word_names_a_body_too() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Comité de Défense", kind="person"),
            Participant(name="Société Ferroviaire", kind="person"),
            Participant(name="Asociación Vecinal", kind="person"),
            Participant(name="Ana Gil", kind="person"),
        ]
    )
    correct_kinds(parts)
    assert [p.kind for p in parts.participants] == ["organization"] * 3 + ["person"]


def test_a_person_named_after_a_listed_company_is_one_of_its_bodies() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="Northwind", kind="organization"),
            Participant(name="Northwind Retail", kind="person"),  # the company's arm
            Participant(name="Carrow Logistics", kind="organization", aliases=["Carrow"]),
            Participant(name="Carrow Freight", kind="person"),
            Participant(name="Ana Northwind", kind="person"),  # the word is not first
            Participant(name="Rui Sol", kind="person"),
        ]
    )
    correct_kinds(parts)
    assert [p.kind for p in parts.participants] == [
        "organization",
        "organization",
        "organization",
        "organization",
        "person",
        "person",
    ]
    assert parts.corrected[0].reason == (
        "kind 'person' -> 'organization': 'Northwind' is a listed organization"
    )


def test_two_names_news_writes_for_one_country_are_one_participant() -> None:
    parts = GroundedParts(
        participants=[
            Participant(name="US", kind="country"),
            Participant(name="America", kind="country"),  # added for being named often
            Participant(name="Britain", kind="country"),
            Participant(name="United Kingdom", kind="country"),
            Participant(name="England", kind="country"),  # a nation of it, not the state
            Participant(name="France", kind="country"),
        ]
    )
    merge_same_actors(parts)
    assert {p.name: p.aliases for p in parts.participants} == {
        "US": ["America"],
        "United Kingdom": ["Britain"],
        "England": [],
        "France": [],
    }


def _background(name: str, text: str) -> bool:
    from communique.grounding.context import GroundingContext
    from communique.grounding.participants import background_only
    from communique.ingest.article import Article
    from communique.ingest.sentences import split_sentences

    return background_only(name, GroundingContext(Article(text=text), split_sentences(text), []))


def test_a_past_figure_is_background_but_later_or_latest_is_no_past() -> None:
    assert _background("Ivo Kamp", "The deal was signed by Marlow's late mayor Ivo Kamp.")
    assert _background("Ivo Kamp", "Former envoy Ivo Kamp led talks. Kamp stepped down in May.")
    # "later", "latest" are not "the late": Kamp speaks in the story
    assert not _background("Ivo Kamp", '"We will see it later," said its director Ivo Kamp.')
    assert not _background("Ivo Kamp", "Ivo Kamp gave the latest figures.")
