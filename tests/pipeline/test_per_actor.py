"""The per-actor strategy: after the follow-up, one short call per participant still
without a position, about the sentences where it speaks or acts; off by default."""

from __future__ import annotations

import httpx2

from communique import summarize
from communique.grounding.rules.cues import speaking_sentences
from communique.ingest.article import Article
from communique.ingest.sentences import split_sentences
from communique.pipeline.batch import batch_settings
from communique.pipeline.per_actor import MAX_ASKED
from communique.settings import load_settings

from ..fakes import (
    GOOD_ANSWER,
    FakeClock,
    TwoPassModel,
    actor,
    actor_asked,
    answer,
    is_actor_call,
)

PER_ACTOR = load_settings({"COMMUNIQUE_STRATEGY": "per-actor"}, max_reasks=0, transport_retries=0)


def _starmer(seed: Article) -> tuple[int, dict[str, object]]:
    said = speaking_sentences(["Starmer"], split_sentences(seed.text))[0].number
    return said, {
        "summary": "Starmer urged Putin to accept a ceasefire.",
        "stance": "support",
        "evidence": said,
    }


def test_a_participant_left_without_a_position_is_asked_about_alone(seed: Article) -> None:
    said, reply = _starmer(seed)
    fake = TwoPassModel([], actors={"Starmer": reply})
    s = summarize(seed, client=fake.client(), settings=PER_ACTOR, clock=FakeClock())
    # the follow-up answered "not involved" for everyone: Starmer is still without one
    assert "Starmer" in fake.actor_calls and len(fake.followups) == 1
    asked = next(r for r in fake.requests if is_actor_call(r) and actor_asked(r) == "Starmer")
    schema = asked["response_format"]["json_schema"]["schema"]
    shown = [s.number for s in speaking_sentences(["Starmer"], split_sentences(seed.text), 4)]
    assert schema["properties"]["evidence"]["enum"] == shown  # only its own sentences
    position = next(p for p in s.positions if p.actor == "Starmer")
    assert (position.stance, position.evidence[0].sentence) == ("support", said)
    notes = [(n.item, n.action) for n in s.meta.dropped if n.rule == "followup.per_actor"]
    number = fake.actor_calls.index("Starmer") + 1
    assert (f"followup.actors.{number}.stance", "added") in notes
    assert s.meta.strategy.endswith("+follow-up+per-actor")
    assert [p.name for p in s.meta.prompts][-2:] == ["actor.system.j2", "actor.user.j2"]
    assert s.meta.calls == 2 + len(fake.actor_calls)


def test_the_default_two_pass_strategy_makes_no_per_actor_call(seed: Article) -> None:
    fake = TwoPassModel([])
    s = summarize(seed, client=fake.client(), settings=load_settings({}), clock=FakeClock())
    assert fake.actor_calls == [] and len(fake.requests) == 2
    assert "actor.system.j2" not in [p.name for p in s.meta.prompts]


def test_switched_off_no_participant_is_asked_about(seed: Article) -> None:
    settings = PER_ACTOR.with_overrides(disabled_rules=frozenset({"followup.per_actor"}))
    fake = TwoPassModel([])
    summarize(seed, client=fake.client(), settings=settings, clock=FakeClock())
    assert fake.actor_calls == []


def _with_trump(body: dict[str, object]) -> dict[str, object]:
    """The canned answer plus Donald Trump, listed without a position."""
    return answer(actors=[*GOOD_ANSWER["actors"], actor("Donald Trump")])


def test_only_a_participant_that_speaks_or_acts_is_asked_about(seed: Article) -> None:
    fake = TwoPassModel([], main=_with_trump)
    summarize(seed, client=fake.client(), settings=PER_ACTOR, clock=FakeClock())
    # left without a position: Starmer and Trump speak; Putin is only the object of
    # "Starmer challenged ... Putin", and Ukraine is where the force would go
    assert fake.actor_calls == ["Starmer", "Donald Trump"]


def test_an_answer_off_its_schema_loses_that_actor_only(seed: Article) -> None:
    first = TwoPassModel([], main=_with_trump)
    summarize(seed, client=first.client(), settings=PER_ACTOR, clock=FakeClock())
    asked = first.actor_calls
    assert len(asked) >= 2 and len(asked) <= MAX_ASKED
    broken = {"summary": "It agreed.", "stance": "support", "evidence": 999}  # not shown
    fake = TwoPassModel([], main=_with_trump, actors={asked[0]: broken})
    s = summarize(seed, client=fake.client(), settings=PER_ACTOR, clock=FakeClock())
    assert fake.actor_calls == asked  # the others are still asked
    failed = [n for n in s.meta.dropped if n.rule == "followup.per_actor_failed"]
    assert [(n.item, n.action) for n in failed] == [("followup.actors.1", "dropped")]
    assert "did not match its schema" in failed[0].reason
    # the failed actor keeps only the position in its own words the follow-up gave it
    [kept] = [p for p in s.positions if p.actor == asked[0]]
    own = [n.reason for n in s.meta.dropped if n.rule == "followup.speaker_own_words"]
    assert kept.summary.startswith(f"{asked[0]}: ")
    assert len(own) == 1 and own[0].startswith(f"'{asked[0]}'")
    assert set(asked[1:]) <= {p.actor for p in s.positions}  # the others' answers stand
    assert s.meta.degraded is not None


def test_a_failed_endpoint_stops_the_per_actor_calls(seed: Article) -> None:
    first = TwoPassModel([])
    summarize(seed, client=first.client(), settings=PER_ACTOR, clock=FakeClock())
    asked = first.actor_calls
    down = httpx2.Response(500, json={"error": "down"})
    fake = TwoPassModel([], actors={asked[0]: down})
    s = summarize(seed, client=fake.client(), settings=PER_ACTOR, clock=FakeClock())
    assert fake.actor_calls == asked[:1]  # no more calls after the endpoint failed
    failed = [n for n in s.meta.dropped if n.rule == "followup.per_actor_failed"]
    assert len(failed) == 1 and "HTTP 500" in failed[0].reason
    assert s.participants  # the answers so far stand


def test_a_batch_runs_the_per_actor_strategy_as_two_pass() -> None:
    assert batch_settings(PER_ACTOR).strategy == "two-pass"
    assert batch_settings(load_settings({"COMMUNIQUE_STRATEGY": "single"})).strategy == "single"
