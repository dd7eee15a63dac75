from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from pydantic import ValidationError

from communique.grounding.answer import build_response_model, ground
from communique.grounding.context import GroundedParts, GroundingContext
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.text.folding import fold_name, locate_quote, name_in_text, normalize

from ..fakes import actor, answer


def test_normalize_whitespace_and_typographic_quotes() -> None:
    assert normalize("a\u00a0 “b”\n\t‘c’") == "a \"b\" 'c'"


def test_locate_quote_returns_original_offsets() -> None:
    text = "Starmer said the\u00a0allies will “keep   increasing” pressure."
    start, end = locate_quote('allies will "keep increasing" pressure', text) or (0, 0)
    assert text[start:end] == "allies will “keep   increasing” pressure"


def test_locate_quote_rejects_paraphrase() -> None:
    assert locate_quote("allies will increase pressure", "allies will keep increasing") is None
    assert locate_quote("  ", "anything") is None


def test_names_must_be_written_in_the_article(seed: Article) -> None:
    folded = fold_name(seed.text)
    assert name_in_text("Emmanuel Macron", folded)
    assert name_in_text("Keir Starmer", folded)  # surname written in the article
    assert name_in_text("UK", folded)  # "U.K." folds to "uk"
    assert not name_in_text("Prime Minister Boris Johnson", folded)
    assert not name_in_text("Olaf Scholz", folded)


def test_a_name_written_with_a_possessive_is_written() -> None:
    folded = fold_name("France’s Foreign Minister spoke; Germany's Dax fell. Lands' End agreed.")
    assert name_in_text("France", folded) and name_in_text("Germany", folded)
    assert name_in_text("Lands' End", folded)  # a plural possessive in the name stays
    assert fold_name("the EU's strategy") == " the eu strategy "


def _ctx(seed: Article) -> GroundingContext:
    return GroundingContext(seed, split_sentences(seed.text))


def test_ground_copies_sentences_with_offsets(seed: Article) -> None:
    ctx = _ctx(seed)
    model = build_response_model(len(ctx.sentences))
    parts = ground(model.model_validate(answer()), ctx)
    assert parts.dropped == []
    for item in [parts.proposal, *parts.positions, *parts.next_steps]:
        assert item is not None
        for ev in item.evidence:
            assert seed.text[ev.start : ev.end] == ev.quote
    assert parts.positions[0].actor == "Emmanuel Macron"  # alias resolved to the name
    assert parts.next_steps[0].when_iso is not None
    assert parts.next_steps[0].when_iso.isoformat() == "2025-03-20"


def test_ground_drops_and_reports_invented_actors(seed: Article) -> None:
    ctx = _ctx(seed)
    data = answer()
    data["actors"].append(actor("Boris Johnson", "support", [3]))
    data["next_steps"][0]["actor"] = "Boris Johnson"
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert [p.name for p in parts.participants] == [
        "Emmanuel Macron",
        "Starmer",
        "Vladimir Putin",
        "Ukraine",
    ]
    assert [d.item for d in parts.dropped] == ["actors[4]"]
    assert "'Boris Johnson' is not named in the article" in parts.dropped[0].reason
    assert [p.actor for p in parts.positions] == ["Emmanuel Macron"]
    assert parts.next_steps[0].actor is None  # unlisted actor removed, step kept
    assert parts.corrected[0].item == "next_steps[0].actor"


def test_out_of_range_citation_is_reported_not_kept(seed: Article) -> None:
    ctx = _ctx(seed)
    model = build_response_model(len(ctx.sentences))
    data = answer()
    data["actors"][0]["evidence"] = [99]
    loose = build_response_model(len(ctx.sentences), loose=True)
    parts = ground(loose.model_validate(data), ctx)
    assert parts.positions == []
    assert parts.participants[0].name == "Emmanuel Macron"
    assert "cites sentence(s) [99]" in parts.dropped[0].reason
    with pytest.raises(ValidationError):
        model.model_validate(data)  # the bounded schema refuses it outright


def test_schema_bounds_sentence_numbers(seed: Article) -> None:
    n = len(split_sentences(seed.text))
    schema = build_response_model(n).model_json_schema()
    cite = schema["$defs"]["ExtractedActor"]["properties"]["evidence"]["items"]
    assert (cite["minimum"], cite["maximum"]) == (1, n)
    assert schema["additionalProperties"] is False


def test_when_not_in_the_article_is_taken_from_the_cited_sentence(seed: Article) -> None:
    ctx = _ctx(seed)
    data = answer()
    data["next_steps"][0]["when"] = "Thursday, March 19"
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    step = parts.next_steps[0]
    assert step.when == "on Thursday" and str(step.when_iso) == "2025-03-20"
    assert "'Thursday, March 19' is not in the article" in parts.corrected[0].reason


def test_no_proposal_status_means_null(seed: Article) -> None:
    ctx = _ctx(seed)
    data = answer(proposal={"statement": "", "status": "no proposal", "evidence": []})
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert parts.proposal is None and parts.dropped == []


def test_candidate_names_bound_the_schema(seed: Article) -> None:
    model = build_response_model(14, ["Emmanuel Macron", "Starmer"])
    data = answer()
    data["actors"] = [actor("Boris Johnson")]
    with pytest.raises(ValidationError, match="Input should be 'Emmanuel Macron' or 'Starmer'"):
        model.model_validate(data)


def test_one_actor_named_twice_is_merged_under_its_fullest_name(seed: Article) -> None:
    ctx = GroundingContext(seed, split_sentences(seed.text), ["Emmanuel Macron", "Macron"])
    data = answer()
    data["actors"] = [
        actor("Macron", "support", [2]),
        actor("La Dépêche"),
        actor("La Dépêche du Midi"),
        actor("Emmanuel Macron", "oppose", [3]),
    ]
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert [(p.name, p.aliases) for p in parts.participants] == [
        ("Emmanuel Macron", ["Macron"]),
        ("La Dépêche du Midi", ["La Dépêche"]),
    ]
    assert [(p.actor, p.stance) for p in parts.positions] == [("Emmanuel Macron", "support")]


def test_unrelated_alias_is_not_kept(seed: Article) -> None:
    ctx = _ctx(seed)
    data = answer()
    data["actors"][0]["aliases"] = ["Macron", "French-British"]
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert parts.participants[0].aliases == ["Macron"]
    assert "alias 'French-British'" in parts.corrected[0].reason


def test_next_step_citing_the_wrong_sentence_is_re_pointed(seed: Article) -> None:
    ctx = _ctx(seed)
    data = answer()
    data["next_steps"][0] = {
        "action": "Military planners convene again in the U.K. on Thursday",
        "actor": None,
        "when": "4/16/2025",
        "evidence": [13],
    }
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    step = parts.next_steps[0]
    assert [e.sentence for e in step.evidence] == [14]
    assert step.when == "on Thursday" and str(step.when_iso) == "2025-03-20"
    assert [c.item for c in parts.corrected] == ["next_steps[0].evidence", "next_steps[0].when"]


def _article(text: str) -> GroundingContext:
    art = Article(text=text, id="t")
    sentences = split_sentences(text)
    from communique.prompt.candidates import find_candidates

    return GroundingContext(art, sentences, find_candidates(text, sentences))


def _ground_text(
    text: str, actors: list[dict[str, Any]], *, proposal: int = 1, names: Sequence[str] = ()
) -> tuple[GroundingContext, GroundedParts]:
    """Ground an answer that lists `actors` and no next step against `text`; `names` add
    to the schema's names (an actor the model may name although code would not list it)."""
    ctx = _article(text)
    model = build_response_model(len(ctx.sentences), [*ctx.candidates, *names])
    data = answer(actors=actors, next_steps=[])
    data["proposal"]["evidence"] = [proposal]
    return ctx, ground(model.model_validate(data), ctx)


def test_names_written_three_times_are_added_when_the_model_leaves_them_out() -> None:
    text = (
        "Mayor Ana Lopez proposed a levy on Monday. Lopez said the levy is fair. "
        "The Harbour Council backs the levy, and Lopez will present it again. "
        "The Pine River flows nearby; the Pine River floods. The Pine River is long."
    )
    ctx = _article(text)
    model = build_response_model(len(ctx.sentences))
    data = answer(actors=[actor("Harbour Council", "support", [3])], next_steps=[])
    data["proposal"]["evidence"] = [1]
    parts = ground(model.model_validate(data), ctx)
    added = [(p.name, p.kind, p.aliases) for p in parts.participants[1:]]
    assert added == [("Ana Lopez", "person", ["Lopez"])]  # a river is not an actor
    assert "added 'Ana Lopez': named 3 times" in parts.corrected[0].reason


def test_an_added_company_is_an_organization_when_the_article_writes_its_suffix() -> None:
    text = (
        "Kmart will buy Sears, said the Harbour Council. Sears Holdings Corp. will lead. "
        "Sears shares rose and Sears stores stay open. Kmart said Kmart stores stay too. "
        "Korea Electric Power Corp. watched, and Korea said Korea would wait for Korea."
    )
    _, parts = _ground_text(text, [actor("Harbour Council", "support", [1])])
    kinds = {p.name: p.kind for p in parts.participants[1:]}
    # "Sears Holdings Corp": a company; "Korea Electric Power Corp" says nothing of Korea;
    # one word that is no country's name is an organization's
    assert kinds == {"Sears": "organization", "Kmart": "organization", "Korea": "country"}


def test_a_former_office_holder_mentioned_only_as_background_is_not_a_participant() -> None:
    text = (
        "Minister Kai Berg proposed a tariff on Monday. Berg said talks start on Friday. "
        "A similar plan was dropped in 2015 by then-Prime Minister Ola Dahl. "
        "Dahl, who retired in 2018, has not commented."
    )
    ctx = _article(text)
    model = build_response_model(len(ctx.sentences))
    data = answer(actors=[actor("Kai Berg", "support", [1]), actor("Ola Dahl")], next_steps=[])
    parts = ground(model.model_validate(data), ctx)
    assert [p.name for p in parts.participants] == ["Kai Berg"]
    assert "only mentioned as background" in parts.corrected[0].reason


def test_stance_follows_the_models_own_summary_when_it_contradicts_the_label(
    seed: Article,
) -> None:
    ctx = _ctx(seed)
    data = answer()
    data["actors"][0]["summary"] = "Macron backs the force only if a ceasefire holds."
    data["actors"][1].update(stance="support", evidence=[10], summary="Starmer rejects delay.")
    data["actors"][2].update(stance="oppose", evidence=[10], summary="Putin is against it.")
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert [(p.actor, p.stance) for p in parts.positions] == [
        ("Emmanuel Macron", "conditional"),
        ("Starmer", "oppose"),
        ("Vladimir Putin", "oppose"),  # already not "support": left alone
    ]
    assert "its summary says 'only if'" in parts.corrected[0].reason


def test_a_common_word_the_model_lists_as_an_actor_is_dropped() -> None:
    text = (
        "Smoking will be banned in offices, Health Secretary John Reid said. "
        "Reid said smoking kills. The Harbour Council backs the ban."
    )
    ctx = _article(text)
    model = build_response_model(len(ctx.sentences), [*ctx.candidates, "Smoking"])
    data = answer(
        actors=[actor("Smoking", "support", [1]), actor("John Reid", "support", [1])],
        next_steps=[],
    )
    data["proposal"]["evidence"] = [1]
    parts = ground(model.model_validate(data), ctx)
    assert [p.name for p in parts.participants][:1] == ["John Reid"]
    assert [p.actor for p in parts.positions] == ["John Reid"]
    assert "'Smoking' is a common word" in parts.corrected[0].reason


def test_a_common_word_that_is_a_surname_stays_an_actor() -> None:
    """'Brown' is read as 'Gordon Brown' (the fullest form) before the common-word check."""
    text = "Prime Minister Gordon Brown spoke. The deal, Brown said, is not a brown bag."
    _, parts = _ground_text(text, [actor("Brown", "support", [2])], proposal=2)
    assert [p.actor for p in parts.positions] == ["Gordon Brown"]


def test_a_when_that_names_no_time_is_taken_from_the_cited_sentence(seed: Article) -> None:
    """'in the U.K.' is written in the article but names no time: not a `when`."""
    ctx = _ctx(seed)
    data = answer()
    data["next_steps"][0]["when"] = "in the U.K."
    parts = ground(build_response_model(len(ctx.sentences)).model_validate(data), ctx)
    assert parts.next_steps[0].when == "on Thursday"
    assert "'in the U.K.' names no time; used 'on Thursday'" in parts.corrected[0].reason


def test_documents_words_in_lower_case_and_places_are_not_actors() -> None:
    text = (
        "The Harbour Council backs the White Paper. The White Paper bans smoking in pubs, "
        "and the Good Friday Agreement is cited. Public Health experts say public health "
        "gains. Talks were held in Geneva. Ministers met in Geneva and flew to Geneva."
    )
    listed = ["White Paper", "Good Friday Agreement", "Public Health", "Harbour Council"]
    _, parts = _ground_text(text, [actor(n, "support", [1]) for n in listed])
    assert [p.name for p in parts.participants] == ["Harbour Council"]  # Geneva not added
    reasons = [c.reason for c in parts.corrected]
    assert "'White Paper' names a text or an agreement, not an actor" in reasons
    assert "'Good Friday Agreement' names a text or an agreement, not an actor" in reasons
    assert any(r.startswith("'Public Health' is a common word") for r in reasons)


def test_an_acronym_at_the_end_of_a_name_does_not_count_as_its_surname() -> None:
    """'Harbour NATO' is named once; NATO's own mentions are not its mentions."""
    text = (
        "The Harbour Council met Harbour NATO staff. NATO said yes. NATO said no, "
        "and NATO will decide on Monday."
    )
    ctx, parts = _ground_text(text, [actor("Harbour Council", "support", [1])])
    assert "Harbour NATO" in ctx.candidates
    assert [p.name for p in parts.participants] == ["Harbour Council", "NATO"]


def test_a_capital_is_kept_as_its_countrys_alias() -> None:
    text = (
        "North Korea rejected the sanctions. They are illegal, Pyongyang said. "
        "The Harbour Council backs the sanctions."
    )
    korea = actor("North Korea", "oppose", [1])
    korea.update(kind="country", aliases=["Pyongyang"])
    _, parts = _ground_text(text, [korea], proposal=3)
    assert parts.participants[0].aliases == ["Pyongyang"]
    assert not any("alias" in c.item for c in parts.corrected)


def test_two_actors_joined_by_a_hyphen_are_not_one_actor() -> None:
    text = (
        "The EU wants a deal, and the US wants one too. EU-US trade is huge, the EU said. "
        "The US said EU-US talks go on, with US-French help. Both Guinea and Guinea-Bissau "
        "watched."
    )
    listed = [actor("EU-US", "support", [2]), actor("EU", "support", [2])]
    listed.append(actor("Guinea-Bissau", "neutral", [4]))  # a country, written whole
    listed.append(actor("US-French", "support", [3]))  # a name and a demonym
    ctx, parts = _ground_text(text, listed, names=["US-French"])
    assert {"EU-US", "EU", "US"} <= set(ctx.candidates)
    assert [p.actor for p in parts.positions] == ["EU", "Guinea-Bissau"]
    assert parts.corrected[0].reason == "'EU-US' pairs two actors ('EU-US trade'); it is not one"
    assert "'US-French' pairs two actors" in parts.corrected[1].reason


def test_an_added_name_with_an_organisation_word_is_an_organization() -> None:
    text = (
        "The Harbour Council backs the plan. Conservation International said it was weak. "
        "Later, Conservation International asked for more, and Conservation International "
        "will meet the council on Monday. The Free Harbour Army agreed; the Free Harbour "
        "Army signed, and the Free Harbour Army left."
    )
    _, parts = _ground_text(text, [actor("Harbour Council", "support", [1])])
    kinds = {p.name: p.kind for p in parts.participants}
    assert kinds["Conservation International"] == kinds["Free Harbour Army"] == "organization"
    text = "The Harbour Council met. Lands' End said no, Lands' End said it twice. Lands' End left."
    _, parts = _ground_text(text, [actor("Harbour Council", "support", [1])])
    assert {p.name: p.kind for p in parts.participants}["Lands' End"] == "organization"
    text = "The Harbour Council met. Saudi Arabia said no; Saudi Arabia left; Saudi Arabia won."
    _, parts = _ground_text(text, [actor("Harbour Council", "support", [1])])
    assert {p.name: p.kind for p in parts.participants}["Saudi Arabia"] == "country"


def test_a_name_only_written_at_the_end_of_a_longer_one_is_not_an_actor() -> None:
    text = (
        "The Harbour Council backs the Green Paper on Clean Water. Officials of the Bank "
        "of Marlow agreed. The Green Paper on Clean Water bans dumping; Marlow said so too."
    )
    listed = [actor("Clean Water", "support", [1]), actor("Marlow", "support", [3])]
    _, parts = _ground_text(
        text, [*listed, actor("Harbour Council", "support", [1])], names=["Clean Water"]
    )
    assert [p.actor for p in parts.positions] == ["Marlow", "Harbour Council"]
    assert parts.corrected[0].reason == (
        "'Clean Water' is only written as the end of a longer name, not as an actor"
    )


def test_a_capital_whose_country_is_not_listed_is_not_added() -> None:
    text = (
        "Ministers met in Doha on Tuesday. The Doha meeting ended late. Doha talks go on. "
        "Iran said Tehran would wait. Tehran rejected it and Tehran left."
    )
    _, parts = _ground_text(text, [actor("Iran", "oppose", [4])], names=["Iran"])
    names = [p.name for p in parts.participants]
    assert "Doha" not in names  # Qatar is not listed: a venue
    assert "Tehran" in names or any("Tehran" in p.aliases for p in parts.participants)


@pytest.mark.parametrize(
    ("stance", "text", "turned"),
    [
        # an 'unclear' stance whose words back the plan (invented wording)
        ("unclear", "Ana Ruiz welcomed the levy.", ("support", "welcomed")),
        ("unclear", "urged the towns to accept it", ("support", "urged the towns to accept")),
        ("support", "Ana Ruiz welcomed the levy.", None),  # already 'support'
        ("unclear", "the union rejected the offer", ("oppose", "rejected")),
        # a concession tells what someone else did, not the stance
        ("support", "Berg expects a deal even though Lind has refused to meet him", None),
        ("support", "Berg rejects it, although Lind backs it", ("oppose", "rejects")),
        ("conditional", "the council will not support the levy", ("oppose", "will not support")),
    ],
)
def test_a_stance_cue_names_the_words_that_state_it(
    stance: str, text: str, turned: tuple[str, str] | None
) -> None:
    from communique.grounding.evidence import stance_cue

    assert stance_cue(stance, text) == turned
