"""The follow-up pass: code picks the names and step sentences, the model answers per key,
grounding keeps only what the article supports; a failed follow-up keeps the first answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx2
import pytest

from communique import summarize
from communique.errors import ConfigError
from communique.grounding.rules.cues import (
    MAX_NAMES,
    acting_names,
    speaking_sentences,
    step_sentences,
)
from communique.grounding.rules.rule import Switches
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.settings import load_settings

from ..fakes import FakeClock, FakeModel, TwoPassModel, answer, completion

TWO_PASS = load_settings({}, max_reasks=0)


ENGLISH_STEPS = (
    "The council will vote on the plan on Thursday. "
    "The mayor said on Monday that the plan was good. "
    "Ministers will meet again at some point. "
    "The deal is expected to close in the first quarter of 2026. "
    "The law was due to take effect on March 1, 2024. "
    "Le conseil votera le 12 juin."
)
GERMAN_STEPS = (  # invented, as the English one
    "Der Stadtrat wird am Donnerstag über den Plan abstimmen. "
    "Die Bürgermeisterin sagte am Montag, der Plan sei gut. "
    "Die Minister werden sich irgendwann wieder treffen. "
    "Das Gesetz soll Ende 2026 in Kraft treten. "
    "Die Abgabe sollte am 1. März 2024 gelten. "
    "Die Kommission will die Regeln in den kommenden Monaten ändern. "
    "„Wir werden am 3. Juni streiken“, sagte sie."
)


@pytest.mark.parametrize(
    ("text", "numbers"), [(ENGLISH_STEPS, [1, 4, 6]), (GERMAN_STEPS, [1, 4, 6, 7])]
)
def test_step_sentences_need_a_future_verb_and_a_time_not_before_the_article(
    text: str, numbers: list[int]
) -> None:
    found = step_sentences(split_sentences(text), dt.date(2025, 3, 16))
    assert [s.number for s in found] == numbers


def test_acting_names_skip_known_names_surnames_and_descriptions() -> None:
    text = (
        "Anna Berg said the plan was flawed. Berg added that she would vote against it. "
        "The French-British plan was praised in Paris. Tom Ruiz backs the plan. "
        "Rosa Lind was born in Velsk."
    )
    sentences = split_sentences(text)
    candidates = ["Anna Berg", "Berg", "French-British", "Paris", "Tom Ruiz", "Rosa Lind"]
    picked = acting_names(candidates, sentences, known=["Tom Ruiz"])
    assert list(picked) == ["Anna Berg"]  # Berg is her surname; Rosa Lind does nothing
    assert [s.number for s in picked["Anna Berg"]] == [1]


def test_follow_up_adds_a_grounded_actor_and_a_focused_step(seed: Article) -> None:
    trump = {
        "what": "actor",
        "kind": "person",
        "summary": "Trump changed the U.S. approach.",
        "stance": "unclear",
        "evidence": 12,
    }
    step = {"planned": True, "action": "Planners meet in the U.K.", "actor": None}
    fake = TwoPassModel([], names={"Donald Trump": trump}, steps={"s14": step})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    assert len(fake.requests) == 2 and s.meta.calls == 2 and s.meta.attempts == 1
    assert "Donald Trump" in [p.name for p in s.participants]
    trump = next(p for p in s.positions if p.actor == "Donald Trump")
    assert trump.evidence[0].sentence == 12
    assert seed.text[trump.evidence[0].start : trump.evidence[0].end] == trump.evidence[0].quote
    # the follow-up answer about sentence 14 replaces the first pass's step citing it
    assert [(st.action, st.when) for st in s.next_steps] == [
        ("Planners meet in the U.K.", "on Thursday")
    ]
    replaced = [n for n in s.meta.dropped if n.rule == "followup.step_replaces"]
    assert [(n.item, n.action) for n in replaced] == [("followup.steps.s14", "corrected")]
    assert [p.name for p in s.meta.prompts][2:] == ["followup.system.j2", "followup.user.j2"]
    assert s.meta.strategy.endswith("+follow-up")
    # names not involved are left out, and meta says why
    assert any("the follow-up pass calls it not involved" in d.reason for d in s.meta.dropped)


def test_a_summary_that_copies_the_prompts_above_marker_is_no_position(seed: Article) -> None:
    trump = {
        "what": "actor",
        "kind": "person",
        "summary": "Donald Trump (above)",  # the prompt shows "[12] (above)"
        "stance": "support",
        "evidence": 12,
    }
    fake = TwoPassModel([], names={"Donald Trump": trump}, steps={})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    assert "Donald Trump" in [p.name for p in s.participants]
    assert "Donald Trump" not in [p.actor for p in s.positions]
    assert "'Donald Trump': no position kept, the summary only says what it is" in [
        d.reason for d in s.meta.dropped
    ]


def test_follow_up_cannot_cite_a_sentence_not_shown_for_the_name(seed: Article) -> None:
    invented = {
        "what": "actor",
        "kind": "person",
        "summary": "Trump rejects the plan.",
        "stance": "oppose",
        "evidence": 3,  # not a sentence that names him
    }
    fake = TwoPassModel([], names={"Donald Trump": invented})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    assert len(fake.followups) == 1  # max_reasks=0: no re-ask
    assert "Donald Trump" not in [p.actor for p in s.positions]
    assert [p.name for p in s.participants][:4] == [
        "Emmanuel Macron",
        "Starmer",
        "Vladimir Putin",
        "Ukraine",
    ]
    assert any(d.item == "followup" and "first answer kept" in d.reason for d in s.meta.dropped)


def test_a_failed_follow_up_call_keeps_the_first_answer(seed: Article) -> None:
    fake = FakeModel([completion(answer()), httpx2.Response(500, json={"error": "down"})])
    settings = load_settings({}, max_reasks=0, transport_retries=0)
    s = summarize(seed, client=fake.client(), settings=settings, clock=FakeClock())
    assert len(fake.requests) == 2 and s.meta.calls == 2
    assert [p.name for p in s.participants][:2] == ["Emmanuel Macron", "Starmer"]
    note = next(d for d in s.meta.dropped if d.item == "followup")
    assert "HTTP 500" in note.reason and note.reason.endswith("first answer kept")
    assert (note.rule, note.action) == ("followup.call_failed", "dropped")


def test_single_strategy_makes_one_call(seed: Article) -> None:
    fake = FakeModel([completion(answer())])
    settings = load_settings({"COMMUNIQUE_STRATEGY": "single"})
    s = summarize(seed, client=fake.client(), settings=settings, clock=FakeClock())
    assert len(fake.requests) == 1 and s.meta.calls == 1
    assert s.meta.strategy == "sentence-cited+candidate-names"


def test_an_unknown_strategy_is_an_actionable_error() -> None:
    with pytest.raises(ConfigError, match="strategy 'three-pass' is not one of two-pass, single"):
        load_settings({"COMMUNIQUE_STRATEGY": "three-pass"})


def two_pass_with(seed: Article, steps: dict[str, dict[str, Any]]) -> Any:
    fake = TwoPassModel([], main=lambda body: answer(next_steps=[]), steps=steps)
    return summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())


def test_a_step_the_model_calls_not_planned_or_none_is_left_to_the_code(seed: Article) -> None:
    """No follow-up step from sentence 14 either way; code finds its timed plan (plans.py)."""
    not_planned = {"planned": False, "action": "Planners convene in the U.K.", "actor": None}
    empty = {"planned": True, "action": "None", "actor": None}  # "None" is no step
    for answer_ in (not_planned, empty):
        s = two_pass_with(seed, {"s14": answer_})
        assert [st.action for st in s.next_steps] == [
            "military planners will convene again in the U.K. on Thursday to progress practical "
            "plans to support Ukraine’s future…"
        ]
        # notes about names (followup.names..., article.names[...]) are not about steps
        steps = [d for d in s.meta.dropped if ".names" not in d.item]
        added = [(d.rule, d.item, d.action) for d in steps if d.action == "added"]
        assert added == [("steps.timed_plan", "article.s14", "added")]  # sentence 14's step


def test_an_action_under_the_wrong_key_cites_the_sentence_it_states(seed: Article) -> None:
    # the answer for sentence 10 describes sentence 14: the step cites 14
    misplaced = {
        "planned": True,
        "action": "military planners will convene again in the U.K. on Thursday",
        "actor": None,
    }
    s = two_pass_with(seed, {"s10": misplaced})
    assert [st.evidence[0].sentence for st in s.next_steps] == [14]
    assert s.next_steps[0].when == "on Thursday"


def test_code_rules_for_places_plans_and_stances() -> None:
    from communique.grounding.context import GroundedParts
    from communique.grounding.evidence import stance_from_summary
    from communique.grounding.rules.cues import only_a_place

    s = split_sentences(
        "Talks resume in Geneva on Monday. The union would vote next week. "
        "According to Le Monde, Paris agreed. Ministers had no plans to meet on Friday. "
        '"We will strike on Monday," she said.'
    )
    assert only_a_place("Geneva", s) and not only_a_place("Le Monde", s)
    assert not only_a_place("Paris", s)
    out = GroundedParts()
    assert stance_from_summary("oppose", "It would not oppose the deal if jobs stay.", "a", out)
    assert (
        stance_from_summary("oppose", "It would not oppose the deal if jobs stay.", "a", out)
        == "conditional"
    )
    assert stance_from_summary("support", "The commission opened a review.", "a", out) == (
        "neutral"
    )
    assert stance_from_summary("oppose", "It rejects the deal.", "a", out) == "oppose"
    # a backing with a condition is conditional; "even if" and "if approved" are not one
    for summary, stance in [
        ("The ministry said it would accept the cap if every member signs.", "conditional"),
        ("The union backs the plan even if it costs jobs.", "support"),
        ("The group will go to court if approved.", "support"),
    ]:
        assert stance_from_summary("support", summary, "a", out) == stance


def test_company_suffixes_and_hyphenated_descriptions_are_not_new_names() -> None:
    s = split_sentences(
        "Sears Holdings said the deal will close. New York-based analysts said it would fail. "
        "Dan Hess said it was bold."
    )
    picked = acting_names(
        ["Sears Holdings", "New York-based", "Dan Hess"], s, known=["Sears Holdings Corp"]
    )
    assert list(picked) == ["Dan Hess"]


def test_a_hyphenated_given_name_is_a_name_a_hyphenated_description_is_not() -> None:
    s = split_sentences(
        "Marlow-based traders said the levy would fail. Port chief Dae Su-min welcomed it. "
        "U.N.-sponsored talks said little. Osland-speaking towns said no."
    )
    picked = acting_names(
        ["Marlow-based", "Dae Su-min", "U.N.-sponsored", "Osland-speaking"], s, known=[]
    )
    assert list(picked) == ["Dae Su-min"]


def test_a_step_takes_its_time_not_the_time_of_a_past_event() -> None:
    from communique.pipeline.followup_answer import _when

    sentence = "Following Saturday's meeting, allies said planners will meet on Thursday."
    assert _when("Planners meet.", sentence) == "on Thursday"
    assert _when("Planners meet on Thursday.", sentence) == "on Thursday"
    assert _when("Allies keep up pressure.", "After Monday talks, pressure will rise.") is None
    earlier = "Earlier on Friday, Trump said his plan to raise tariffs on 1 June was set."
    assert _when("Tariffs rise.", earlier) == "on 1 June"
    # a time right after a verb of saying dates the saying
    said = "Ana Ruiz announced on Tuesday that the Senate could vote from next Thursday."
    assert _when("Senate votes.", said) == "next Thursday"


def test_words_that_name_no_actor() -> None:
    from communique.grounding.rules.cues import not_a_name

    text = (
        "BRUSSELS Leaders met at 1900 GMT. Syrians and a Cypriot envoy spoke; the leaders agreed."
    )
    for word in ("Syrians", "Cypriot", "GMT", "BRUSSELS Leaders", "Leaders"):
        assert not_a_name(word, text), word
    for name in ("Paris", "Angela Merkel", "NATO", "European Union"):
        assert not not_a_name(name, text), name


def test_first_pass_steps_with_their_own_times_are_not_replaced(seed: Article) -> None:
    """One sentence may hold several steps ('... by 2006, ... by 2008'): the follow-up's
    one answer about it does not replace them."""
    first = [
        {
            "action": "Military planners convene in the U.K.",
            "actor": None,
            "when": w,
            "evidence": [14],
        }
        for w in ("on Thursday", "Saturday")
    ]
    step = {"planned": True, "action": "Planners meet in the U.K.", "actor": None}
    fake = TwoPassModel([], main=lambda body: answer(next_steps=first), steps={"s14": step})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    assert [st.when for st in s.next_steps] == ["on Thursday", "Saturday"]
    assert any("each with its own time; kept" in d.reason for d in s.meta.dropped)


def test_the_follow_up_never_asks_about_a_pair_of_names_or_a_news_agency() -> None:
    from communique.grounding.context import GroundedParts, GroundingContext
    from communique.pipeline.followup import plan

    text = (
        "A joint U.S.-Russian statement said the two countries would work together. "
        "Reuters said the talks would resume. Anna Berg said she backs the plan."
    )
    candidates = ["U.S.", "U.S.-Russian", "Reuters", "Anna Berg"]
    ctx = GroundingContext(Article(text=text), split_sentences(text), candidates)
    asked = [name for name, _ in plan(ctx, GroundedParts()).names.values()]
    assert asked == ["Anna Berg"]
    off = GroundedParts(switches=Switches(frozenset({"participants.news_agency"})))
    assert [name for name, _ in plan(ctx, off).names.values()] == ["Reuters", "Anna Berg"]


def test_people_quoted_as_speakers_are_asked_about_beyond_the_acting_names() -> None:
    from communique.grounding.context import GroundedParts, GroundingContext
    from communique.pipeline.followup import (
        MAX_SPEAKERS,
        QUOTED_SPEAKER,
        SPEAKER_OWN_WORDS,
        UNASKED_SPEAKER,
        plan,
        response_model,
    )
    from communique.pipeline.followup_answer import merge

    acting = [f"Mara Holt{i}" for i in range(MAX_NAMES)]  # invented names that act
    quoted = ["Ana Ruiz", "Tom Berg", "Lena Sand", "Ivo Kamp"]
    text = " ".join(f"{n} backed the plan." for n in acting) + (
        ' "It falls short," said a union leader, Ana Ruiz. Rob Lind signed the deal. '
        "Tom Berg, the port's director, told reporters the levy was fair. "
        "According to Lena Sand, the union rejected the offer. Ivo Kamp said it would pass."
    )
    candidates = [*acting, "Rob Lind", *quoted]
    ctx = GroundingContext(Article(text=text), split_sentences(text), candidates)
    asked = plan(ctx, GroundedParts())
    names = [name for name, _ in asked.names.values()]
    # the acting names first, then at most MAX_SPEAKERS quoted people; 'Rob Lind' acts
    # but says nothing, so he is not asked about beyond the acting names
    assert names == [*acting, *quoted[:MAX_SPEAKERS]]
    assert asked.speakers == frozenset({"a9", "a10", "a11"})
    off = GroundedParts(switches=Switches(frozenset({QUOTED_SPEAKER.id})))
    assert [name for name, _ in plan(ctx, off).names.values()] == acting

    parts = GroundedParts()
    reply = {"what": "actor", "kind": "person", "summary": None, "stance": "none"}
    shown = {key: sentences[0].number for key, (_, sentences) in asked.names.items()}
    model = response_model(asked, candidates)
    answer_ = model.model_validate(
        {"names": {key: {**reply, "evidence": shown[key]} for key in asked.names}}
    )
    merge(answer_, asked, ctx, parts)
    notes = [(n.item, n.action) for n in parts.corrected if n.rule == QUOTED_SPEAKER.id]
    assert notes == [(f"followup.names.a{i}", "added") for i in (9, 10, 11)]
    # the fourth quoted person, over the cap, is not asked about but is a participant
    unasked = [(n.item, n.action) for n in parts.corrected if n.rule == UNASKED_SPEAKER.id]
    assert unasked == [("article.names['Ivo Kamp']", "added")]
    assert {p.name for p in parts.participants} == {*acting, *quoted}
    # no answer gave any of them a stance: each quoted person's position is in their own
    # words, 'neutral' unless the words take a side ('falls short', 'rejected')
    assert [(p.actor, p.stance, p.summary) for p in parts.positions] == [
        ("Ana Ruiz", "oppose", "Ana Ruiz: It falls short"),
        ("Tom Berg", "neutral", "Tom Berg: the levy was fair"),
        ("Lena Sand", "oppose", "Lena Sand: the union rejected the offer"),
        ("Ivo Kamp", "neutral", "Ivo Kamp: it would pass"),
    ]
    own = [(n.item, n.action) for n in parts.corrected if n.rule == SPEAKER_OWN_WORDS.id]
    assert own == [
        *((f"followup.names.a{i}.stance", "added") for i in (9, 10, 11)),
        ("article.names['Ivo Kamp'].stance", "added"),
    ]
    off = GroundedParts(switches=Switches(frozenset({SPEAKER_OWN_WORDS.id})))
    merge(answer_, asked, ctx, off)
    assert off.positions == []

    off = GroundedParts(switches=Switches(frozenset({UNASKED_SPEAKER.id})))
    merge(answer_, plan(ctx, off), ctx, off)
    assert {p.name for p in off.participants} == {*acting, *quoted[:MAX_SPEAKERS]}


def test_switched_off_the_follow_up_step_does_not_replace_the_first_pass_step(
    seed: Article,
) -> None:
    step = {"planned": True, "action": "Planners meet in the U.K.", "actor": None}
    off = load_settings({}, max_reasks=0, disabled_rules=frozenset({"followup.step_replaces"}))
    fake = TwoPassModel([], steps={"s14": step})
    s = summarize(seed, client=fake.client(), settings=off, clock=FakeClock())
    cited_14 = [st for st in s.next_steps if any(e.sentence == 14 for e in st.evidence)]
    assert len(cited_14) == 1 and cited_14[0].action != "Planners meet in the U.K."
    assert not [n for n in s.meta.dropped if n.rule == "followup.step_replaces"]


def _starmer_said(sentence: int) -> dict[str, Any]:
    """The follow-up's answer about Starmer: an actor who backs the plan in `sentence`."""
    return {
        "what": "actor",
        "kind": "person",
        "summary": "Starmer urged Putin to accept a ceasefire.",
        "stance": "support",
        "evidence": sentence,
    }


def test_a_listed_participant_without_a_position_is_asked_about(seed: Article) -> None:
    said = speaking_sentences(["Starmer"], split_sentences(seed.text))
    starmer = _starmer_said(said[0].number)
    fake = TwoPassModel([], names={"Starmer": starmer})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    asked = fake.followups[0]["messages"][1]["content"]
    assert "Starmer\n" in asked and f"  [{said[0].number}] " in asked
    # asked, not listed again: one participant, and now a position citing what he said
    assert [p.name for p in s.participants].count("Starmer") == 1
    position = next(p for p in s.positions if p.actor == "Starmer")
    assert (position.stance, position.evidence[0].sentence) == ("support", said[0].number)
    added = [n for n in s.meta.dropped if n.rule == "followup.listed_without_position"]
    assert [n.action for n in added] == ["added"]
    assert added[0].item.startswith("followup.names.a") and added[0].item.endswith(".stance")


def test_the_follow_up_position_replaces_one_the_finish_rules_drop(seed: Article) -> None:
    """Asked because its first-pass position is dropped at the finish (here its evidence
    never names it): the answer replaces that position, rather than losing to it as a
    second position of the same actor and then losing both."""
    said = speaking_sentences(["Starmer"], split_sentences(seed.text))
    first = answer()
    unnamed = next(s.number for s in split_sentences(seed.text) if "Starmer" not in s.text)
    first["actors"][1].update(summary=None, stance="support", evidence=[unnamed])
    starmer = _starmer_said(said[0].number)
    fake = TwoPassModel([], main=lambda body: first, names={"Starmer": starmer})
    s = summarize(seed, client=fake.client(), settings=TWO_PASS, clock=FakeClock())
    assert "Starmer\n" in fake.followups[0]["messages"][1]["content"]
    kept = [p for p in s.positions if p.actor == "Starmer"]
    assert [(p.summary, p.evidence[0].sentence) for p in kept] == [
        ("Starmer urged Putin to accept a ceasefire.", said[0].number)
    ]
    notes = [(n.item, n.action) for n in s.meta.dropped if n.rule.startswith("followup.listed")]
    assert ("actors[1].stance", "dropped") in notes and len(notes) == 2


def test_switched_off_a_listed_participant_is_not_asked_about(seed: Article) -> None:
    settings = load_settings({}, max_reasks=0, disabled_rules=["followup.listed_without_position"])
    fake = TwoPassModel([])
    summarize(seed, client=fake.client(), settings=settings, clock=FakeClock())
    asked = fake.followups[0]["messages"][1]["content"]
    assert "Starmer\n" not in asked


def test_speaking_sentences_name_a_form_next_to_a_verb() -> None:
    sentences = split_sentences(
        "Anna Berg chairs the board. Berg said the plan was flawed. "
        "The board met in Velsk. Ms. Berg rejected the offer."
    )
    found = speaking_sentences(["Anna Berg", "Berg"], sentences)
    assert [s.number for s in found] == [2, 4]
    assert speaking_sentences(["Anna Berg", "Berg"], sentences, limit=1)[0].number == 2
    assert speaking_sentences(["Velsk"], sentences) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "La concejala Ana Ruiz ha dicho que votará en contra.",
        "Según Ana Ruiz, la tasa no saldrá adelante.",
        "Ana Ruiz a indiqué que le texte serait rejeté.",
        "Ana Ruiz sagte, die Abgabe sei falsch.",
        "Ana Ruiz lehnte den Plan ab.",
    ],
)
def test_names_speak_in_french_spanish_and_german_tenses(sentence: str) -> None:
    sentences = split_sentences("El pleno se reunió. " + sentence)
    assert list(acting_names(["Ana Ruiz"], sentences, known=[])) == ["Ana Ruiz"]
    assert [s.number for s in speaking_sentences(["Ana Ruiz"], sentences)] == [2]


def _merge_one(text: str, name: str, summary: str, off: frozenset[str] = frozenset()) -> Any:
    """Merge a follow-up answer about `name` (stance 'support', citing the first sentence
    shown for it) into empty parts; the parts."""
    from communique.grounding.context import GroundedParts, GroundingContext
    from communique.pipeline.followup import plan, response_model
    from communique.pipeline.followup_answer import merge

    sentences = split_sentences(text)
    ctx = GroundingContext(Article(text=text), sentences, [name])
    asked = plan(ctx, GroundedParts())
    key = next(k for k, (n, _) in asked.names.items() if n == name)
    reply = {"what": "actor", "kind": "person", "summary": summary, "stance": "support"}
    reply["evidence"] = asked.names[key][1][0].number
    answer_ = response_model(asked, [name]).model_validate({"names": {key: reply}})
    parts = GroundedParts(switches=Switches(off))
    merge(answer_, asked, ctx, parts)
    return parts


SPEAKER_TEXT = (
    "The Osland port levy was agreed on Monday. "
    "Port Minister Ana Ruiz backed the levy in March. "
    "Ana Ruiz said approval would depend on a vote of the three harbour towns."
)


def test_a_definition_only_answer_keeps_what_the_article_quotes_the_speaker_saying() -> None:
    parts = _merge_one(SPEAKER_TEXT, "Ana Ruiz", "Ana Ruiz is the Port Minister.")
    [position] = parts.positions
    assert position.summary == (
        "Ana Ruiz: approval would depend on a vote of the three harbour towns"
    )
    # the sentence where she speaks, not the one the answer cited; the stance follows
    # what she said ('depend on' sets a condition), not the model's default 'support'
    assert [e.sentence for e in position.evidence] == [3]
    assert position.stance == "conditional"
    notes = [(n.rule, n.item.rsplit(".", 1)[-1], n.action) for n in parts.corrected]
    assert notes == [
        ("followup.speaker_statement", "summary", "corrected"),
        ("positions.stance_from_summary", "stance", "corrected"),
    ]


def test_switched_off_a_definition_only_answer_gives_no_position() -> None:
    off = frozenset({"followup.speaker_statement"})
    parts = _merge_one(SPEAKER_TEXT, "Ana Ruiz", "Ana Ruiz is the Port Minister.", off)
    assert parts.positions == []
    assert [n.rule for n in parts.corrected] == ["followup.definition_only"]


def test_a_definition_only_answer_about_a_name_that_says_nothing_gives_no_position() -> None:
    text = "The Osland port levy was agreed on Monday. Ana Ruiz signed the levy in March."
    parts = _merge_one(text, "Ana Ruiz", "Ana Ruiz is the Port Minister.")
    assert parts.positions == []
    assert [n.rule for n in parts.corrected] == ["followup.definition_only"]
