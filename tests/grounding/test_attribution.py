"""A position stays only with an actor its sentences name (attribution.py)."""

from __future__ import annotations

from communique.grounding.context import GroundedParts, GroundingContext
from communique.ingest.article import Article
from communique.ingest.sentences import Sentence, split_sentences
from communique.models import Evidence, Participant, Position

TEXT = (
    "The White Paper plans to make offices smoke-free. "
    "Health Secretary John Reid said the plan would save lives. "
    "He added that pubs would follow. "
    "The BMA welcomed it."
)


def context(text: str) -> tuple[list[Sentence], GroundingContext]:
    """The article's sentences and a grounding context with no candidate names."""
    sentences = split_sentences(text)
    return sentences, GroundingContext(Article(text=text), sentences, [])


SENTENCES, CTX = context(TEXT)


def position(
    actor: str, summary: str, sentence: int, sentences: list[Sentence] = SENTENCES
) -> Position:
    s = sentences[sentence - 1]
    quote = Evidence(quote=s.text, start=s.start, end=s.end, sentence=sentence)
    return Position(actor=actor, stance="support", summary=summary, evidence=[quote])


def actor(name: str, kind: str = "organization", *aliases: str) -> Participant:
    return Participant(name=name, kind=kind, aliases=list(aliases))


def kept(*positions: Position, people: list[Participant]) -> list[str]:
    from communique.grounding.rules.attribution import drop_copied_positions

    parts = GroundedParts(participants=people, positions=list(positions))
    drop_copied_positions(parts, CTX)
    dropped = {d.item for d in parts.corrected}
    assert len(dropped) == len(positions) - len(parts.positions)
    return [p.actor for p in parts.positions]


def test_a_copied_summary_stays_with_the_actor_its_sentence_names() -> None:
    copied = "The White Paper plans to make offices smoke-free."
    people = [actor("White Paper"), actor("England", "country"), actor("Smoking")]
    positions = [position(p.name, copied, 1) for p in people]
    assert kept(*positions, people=people) == ["White Paper"]


def test_surname_acronym_and_the_sentence_before_count_as_naming() -> None:
    said = "Pubs would follow."
    people = [
        actor("John Reid", "person"),  # "Reid", in the sentence before the cited one
        actor("British Medical Association"),  # "BMA", in the cited sentence
        actor("England", "country"),
    ]
    positions = [
        position("John Reid", said, 3),
        position("British Medical Association", said, 4),
        position("England", said, 3),
    ]
    assert kept(*positions, people=people) == ["John Reid", "British Medical Association"]


def test_a_summary_only_one_person_has_is_left_alone() -> None:
    """A person may be 'he' for several sentences: only copies are checked."""
    people = [actor("John Reid", "person")]
    assert kept(position("John Reid", "Backs the plan.", 1), people=people) == ["John Reid"]


def test_a_country_or_body_its_cited_sentences_never_name_loses_the_position() -> None:
    from communique.grounding.rules.attribution import drop_copied_positions

    text = (
        "The Sudaran government accepted the plan. Paris backed it. The French envoy agreed. "
        "China said nothing. Iran supports the sanctions, a report said. "
        "Turkey's envoy and EU-US talks went on."
    )
    sentences, ctx = context(text)

    def pos(name: str, n: int) -> Position:
        return position(name, f"{name} backs it.", n, sentences)

    people = [actor(n, "country") for n in ["Sudara", "France", "China", "Iran", "Turkey"]]
    people += [actor("World Bank"), actor("EU")]
    parts = GroundedParts(
        participants=people,
        positions=[
            pos("Sudara", 1),
            pos("France", 3),
            pos("Iran", 4),
            pos("World Bank", 2),
            pos("Turkey", 6),
            pos("EU", 6),
        ],
    )
    drop_copied_positions(parts, ctx)
    assert [p.actor for p in parts.positions] == ["Sudara", "France", "Turkey", "EU"]
    assert [d.reason for d in parts.corrected] == [
        "no sentence it cites (or the one before) names 'Iran'",
        "no sentence it cites (or the one before) names 'World Bank'",
    ]


def test_a_summary_that_only_names_its_actor_is_replaced_and_reported() -> None:
    from communique.grounding.rules.attribution import blank_unsaid_summaries

    parts = GroundedParts(
        positions=[
            position("John Reid", "Health Secretary John Reid", 2),
            position("Ines Kalder", "France's Minister of the Interior Ines Kalder", 2),
            position("BMA", "The BMA welcomed it.", 4),
            position("BMA", "The BMA is a doctors' union.", 4),  # what it is, not its view
            position("John Reid", "John Reid is president of the council.", 2),
            position("John Reid", "John Reid is the plan's author, he said.", 2),
            position("John Reid", "John Reid said", 2),
        ]
    )
    blank_unsaid_summaries(parts, CTX)
    summaries = [p.summary for p in parts.positions]
    assert summaries == [
        "John Reid: support",
        "Ines Kalder: support",
        "The BMA welcomed it.",
        "BMA: support",
        "John Reid: support",
        "John Reid is the plan's author, he said.",
        "John Reid: support",
    ]
    replaced = (0, 1, 3, 4, 6)
    assert [d.item for d in parts.corrected] == [f"positions[{i}].summary" for i in replaced]
    assert parts.corrected[2].reason == (
        "the summary 'The BMA is a doctors' union.' only says who or what is 'BMA'; replaced"
    )


def test_a_summary_that_only_names_its_actor_becomes_the_quotation_it_cites() -> None:
    from communique.grounding.rules.attribution import QUOTED_MAX, blank_unsaid_summaries

    long = "we must do everything " * 8
    text = (
        '"We do not need to go down this road," said Taoiseach Michael Martin. '
        f'Minister Ana Gil said that "{long.strip()}". '
        "Rui Sol said: \u201cNo.\u201d"
    )
    sentences, ctx = context(text)
    parts = GroundedParts(
        positions=[
            position("Michael Martin", "Taoiseach Michael Martin", 1, sentences),
            position("Ana Gil", "Minister Ana Gil", 2, sentences),
            position("Rui Sol", "Rui Sol", 3, sentences),  # too short to say anything
        ]
    )
    blank_unsaid_summaries(parts, ctx)
    martin, gil, sol = (p.summary for p in parts.positions)
    assert martin == 'Michael Martin: "We do not need to go down this road"'
    assert gil.startswith('Ana Gil: "we must do everything we must') and gil.endswith('…"')
    assert len(gil) <= len('Ana Gil: ""') + QUOTED_MAX + 1
    assert sol == "Rui Sol: support"


def test_a_position_whose_summary_has_another_actor_as_subject_is_dropped() -> None:
    people = [actor("BMA"), actor("England", "country"), actor("Keep Smoking", "group")]
    assert kept(
        position("BMA", "England backs the ban.", 4),  # England's words, not the BMA's
        position("BMA", "England insist on the ban.", 4),
        position("BMA", "The Keep Smoking alliance, joined by the doctors, backs it.", 4),
        position("BMA", "The Keep Smoking alliance backs it.", 4),
        position("BMA", "England and the BMA back the ban.", 4),
        people=people,
    ) == ["BMA", "BMA", "BMA"]
    parts = GroundedParts(participants=people, positions=[position("BMA", "England backs it.", 4)])
    from communique.grounding.rules.attribution import drop_copied_positions

    drop_copied_positions(parts, CTX)
    assert parts.corrected[0].reason == "the summary tells what 'England' says or does, not 'BMA'"


def test_positions_whose_evidence_counts_up_over_the_actors_are_dropped() -> None:
    from communique.grounding.rules.attribution import drop_copied_positions

    text = " ".join(f"Sentence {n} says little." for n in range(1, 9))
    sentences, ctx = context(text)

    def unsaid(name: str, *cited: int) -> Position:
        evidence = [
            Evidence(quote=s.text, start=s.start, end=s.end, sentence=s.number)
            for s in (sentences[n - 1] for n in cited)
        ]
        return Position(actor=name, stance="support", summary=f"{name}: support", evidence=evidence)

    people = [actor(n, "person") for n in ("A B", "C D", "E F", "G H")]
    counted = [unsaid("A B", 1, 2), unsaid("C D", 3, 4, 5), unsaid("E F", 6), unsaid("G H", 7)]
    parts = GroundedParts(participants=people, positions=counted)
    drop_copied_positions(parts, ctx)
    assert parts.positions == []
    assert parts.corrected[0].reason.startswith("no summary, and its evidence counts up")
    # one sentence each (as the follow-up cites) is no counting
    single = [unsaid("A B", 1), unsaid("C D", 2), unsaid("E F", 3), unsaid("G H", 4)]
    parts = GroundedParts(participants=people, positions=single)
    drop_copied_positions(parts, ctx)
    assert [d.reason for d in parts.corrected] == [
        f"no sentence it cites (or the one before) names '{n}'"
        for n in ("A B", "C D", "E F", "G H")
    ]


def test_another_actor_as_the_summarys_subject_drops_it_though_it_names_the_actor() -> None:
    people = [
        actor("BMA"),
        actor("England", "country"),
        actor("Keep Smoking", "group"),
        actor("La Gazette du Nord"),
    ]
    assert kept(
        position("BMA", "England opposes the BMA's plan.", 4),  # England's position
        position("BMA", "The BMA and England back the plan.", 4),
        position("BMA", "England and the BMA back the plan.", 4),
        position("BMA", "La Gazette reported that the BMA backs it.", 4),  # its first words
        position("BMA", "La Nation reported that the BMA backs it.", 4),  # no participant
        people=people,
    ) == ["BMA", "BMA", "BMA"]


def test_a_summary_that_is_only_a_name_with_its_title_or_a_relative_clause_is_replaced() -> None:
    from communique.grounding.rules.attribution import blank_unsaid_summaries
    from communique.grounding.rules.cues import defines, describes

    only_who = [
        "John Reid, senior Washington representative for the Liberal Party.",
        "Ada Osk, the chair of the transport committee of the council",
        "The Tenants' Union, which represents about 30,000 renters",
        "The Clean Air coalition, which includes two cycling clubs…",
        "Ivo Vale, the union's chief, who will become deputy chief",
    ]
    saying = [
        "Greece, which opposes the plan.",  # the clause takes a stand
        "Ivo Vale, who chairs the union, said he would vote no.",
        "Ada Osk, the mayor, said on a call with analysts…",
        "Santelmo and Drenland were represented by ministers, who signed it.",  # a clause
        "The BMA welcomed it.",
    ]
    assert [describes(s) for s in only_who] == [True] * 5
    assert [describes(s) for s in saying] == [False] * 5
    assert not any(defines(s) for s in only_who)  # the follow-up keeps their stance
    parts = GroundedParts(positions=[position("John Reid", s, 2) for s in only_who + saying])
    blank_unsaid_summaries(parts, CTX)
    assert [p.summary for p in parts.positions] == ["John Reid: support"] * 5 + saying


def test_hyphenated_and_elided_names_and_a_saudi_minister_name_their_actor() -> None:
    """A cited sentence names 'Anne Saint-Vallier' (hyphen), 'Unotrans' after an elided
    article ("a regretté l'Unotrans"), Saudi Arabia and North Korea by their people ('Saudi
    minister', 'North Korean envoy'); Oslandia is named in no cited sentence."""
    from communique.grounding.rules.attribution import drop_copied_positions

    text = (
        'Foreign Minister Anne Saint-Vallier said: "We are ready to respond." '
        "\"Nous avons négocié dans l'urgence\", a regretté l'Unotrans. "
        "Saudi Energy Minister Fahd al-Karim said the freeze was adequate. "
        "Oslandia said nothing. The North Korean envoy walked out."
    )
    sentences, ctx = context(text)
    people = [
        actor("Anne Saint-Vallier", "person"),
        actor("Unotrans"),
        actor("Saudi Arabia", "country"),
        actor("Oslandia", "country"),
        actor("North Korea", "country"),
    ]
    unsaid = position("Anne Saint-Vallier", "Anne Saint-Vallier: support", 1, sentences)
    parts = GroundedParts(
        participants=people,
        positions=[
            unsaid,
            position("Unotrans", "Criticises the accord.", 2, sentences),
            position("Saudi Arabia", "Backs the freeze.", 3, sentences),
            position("Oslandia", "Backs the freeze.", 3, sentences),
            position("North Korea", "Rejects the sanctions.", 5, sentences),
        ],
    )
    drop_copied_positions(parts, ctx)
    kept = ["Anne Saint-Vallier", "Unotrans", "Saudi Arabia", "North Korea"]
    assert [p.actor for p in parts.positions] == kept
    assert [d.rule for d in parts.corrected] == ["positions.actor_not_named"]
