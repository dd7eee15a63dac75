"""brief(): many articles → one Briefing, through openai + instructor with a fake model."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest

from communique import Article, Briefing, brief
from communique.briefing.cache import SummaryCache
from communique.briefing.stories import related, same_actor
from communique.cli import brief as brief_command
from communique.models import Participant, Summary
from communique.settings import Settings, load_settings

from ..fakes import FakeClock, FakeModel, completion, followup_reply, is_followup

SETTINGS = load_settings({}, max_reasks=0, strategy="single")
DAY = dt.date(2025, 3, 28)

RENT_A = Article(
    id="rent-a",
    title="Aldavia passes rent cap",
    date=dt.date(2025, 3, 27),
    source="Aldavia Times",
    text="Aldavia's National Assembly passed a law capping annual rent increases at 3% on "
    "Thursday. Housing Minister Marko Lenz said the law protects families. Stefan Olbrecht "
    "of the Liberal Party opposed the cap. President Irena Voss will sign the law on April 1.",
)
RENT_B = Article(
    id="rent-b",
    title="Landlords protest rent cap",
    date=dt.date(2025, 3, 28),
    source="Varenna Post",
    text="Landlords protested the rent cap law passed by Aldavia's parliament. The law caps "
    "annual rent increases at 3 percent for five years. On Friday Olbrecht said he would "
    "accept the cap if it is reviewed in two years. Housing Minister Marko Lenz welcomed "
    "the change of heart.",
)
STEEL = Article(
    id="steel",
    title="Carvalia announces steel tariff",
    date=dt.date(2025, 3, 24),
    source="Ostmark Wire",
    text="Carvalia announced a 25% tariff on steel from Ostmark on Monday. Trade Minister "
    "Petra Lind defended the tariff. The government of Ostmark called it illegal.",
)


def actor(
    name: str,
    role: str | None = None,
    stance: str = "none",
    summary: str | None = None,
    *cites: int,
) -> dict[str, Any]:
    """One entry of the model's actor list (a participant, with its stance if any)."""
    return {
        "name": name,
        "kind": "person",
        "role": role,
        "aliases": [],
        "stance": stance,
        "summary": summary,
        "evidence": list(cites),
    }


def step(action: str, who: str | None, when: str | None, *cites: int) -> dict[str, Any]:
    return {"action": action, "actor": who, "when": when, "evidence": list(cites)}


ANSWERS: dict[str, dict[str, Any]] = {
    "rent-a": {
        "headline": "Aldavia caps rent increases at 3%",
        "gist": "The National Assembly passed a rent cap. The Liberal Party opposed it.",
        "proposal": {
            "statement": "A law capping annual rent increases at 3%",
            "status": "adopted",
            "evidence": [1],
        },
        "actors": [
            actor("Marko Lenz", "Housing Minister", "support", "Protects families.", 2),
            actor("Stefan Olbrecht", "Liberal Party", "oppose", "Opposed the cap.", 3),
            actor("Irena Voss", "President"),
        ],
        "next_steps": [step("Voss signs the law", "Irena Voss", "on April 1", 4)],
    },
    "rent-b": {
        "headline": "Landlords protest Aldavia rent cap",
        "gist": "Landlords protested the new rent cap. Olbrecht softened his opposition.",
        "proposal": {
            "statement": "The rent cap law capping annual rent increases at 3 percent",
            "status": "adopted",
            "evidence": [2],
        },
        "actors": [
            actor("Olbrecht", None, "conditional", "Would accept a reviewed cap.", 3),
            actor("Marko Lenz", "Housing Minister", "support", "Welcomed the change.", 4),
        ],
        "next_steps": [],
    },
    "steel": {
        "headline": "Carvalia sets 25% steel tariff",
        "gist": "Carvalia announced a tariff on Ostmark steel. Ostmark called it illegal.",
        "proposal": {
            "statement": "A 25% tariff on steel imported from Ostmark",
            "status": "proposed",
            "evidence": [1],
        },
        "actors": [actor("Petra Lind", "Trade Minister", "support", "Defended the tariff.", 2)],
        "next_steps": [],
    },
}

Scripted = dict[str, Any] | httpx2.Response | BaseException


@dataclass
class ArticleModel(FakeModel):
    """A fake model that answers by the article id in the prompt (order-independent)."""

    answers: dict[str, Scripted] = field(default_factory=dict)

    def handler(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        if is_followup(body):
            return httpx2.Response(200, json=completion(followup_reply(body)))
        found = re.search(r"Article id: (\S+)", body["messages"][1]["content"])
        assert found, "no article id in the prompt"
        reply = self.answers.get(found.group(1), ANSWERS.get(found.group(1)))
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, httpx2.Response):
            return reply
        assert reply is not None, f"nothing scripted for {found.group(1)}"
        return httpx2.Response(200, json=completion(reply))

    @property
    def asked(self) -> list[str]:
        ids = (
            re.search(r"Article id: (\S+)", r["messages"][1]["content"])
            for r in self.requests
            if not is_followup(r)  # the articles asked about: main calls only
        )
        return [m.group(1) for m in ids if m]


def route_cli_brief(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> ArticleModel:
    """Route the CLI's brief() to a fake model that answers by article id, with these
    settings; never a real model."""
    fake = ArticleModel([])
    real = brief_command.brief

    def with_fake(articles: Any, **kw: Any) -> Briefing:
        kw["settings"] = settings
        return real(articles, client=fake.async_client(), **kw)

    monkeypatch.setattr(brief_command, "brief", with_fake)
    return fake


def run(articles: list[Article], model: ArticleModel, **kw: Any) -> Briefing:
    kw.setdefault("cache", False)
    kw.setdefault("clock", FakeClock())
    return brief(articles, date=DAY, client=model.async_client(), settings=SETTINGS, **kw)


def test_articles_about_one_proposal_become_one_story() -> None:
    model = ArticleModel([])
    b = run([STEEL, RENT_B, RENT_A], model, concurrency=3)
    assert sorted(model.asked) == ["rent-a", "rent-b", "steel"]
    assert [i.id for i in b.items] == ["rent-a", "rent-b", "steel"]
    assert [s.article_ids for s in b.stories] == [["rent-a", "rent-b"], ["steel"]]
    rent = b.stories[0]
    assert rent.proposal == "A law capping annual rent increases at 3%"
    assert rent.status == "adopted" and rent.headline == "Aldavia caps rent increases at 3%"
    names = {p.name: p for p in rent.participants}
    assert sorted(names) == ["Irena Voss", "Marko Lenz", "Stefan Olbrecht"]
    assert names["Stefan Olbrecht"].aliases == ["Olbrecht"]
    assert names["Stefan Olbrecht"].role == "Liberal Party"
    assert [(p.actor, p.stance, p.article_id) for p in rent.positions] == [
        ("Marko Lenz", "support", "rent-a"),
        ("Marko Lenz", "support", "rent-b"),
        ("Stefan Olbrecht", "oppose", "rent-a"),
        ("Stefan Olbrecht", "conditional", "rent-b"),
    ]
    [dis] = rent.disagreements
    assert dis.actor == "Stefan Olbrecht"
    assert [(s.article_id, s.stance) for s in dis.stances] == [
        ("rent-a", "oppose"),
        ("rent-b", "conditional"),
    ]
    [step] = rent.next_steps
    assert (step.actor, step.when_iso) == ("Irena Voss", dt.date(2025, 4, 1))
    assert RENT_A.text[step.evidence[0].start : step.evidence[0].end] == step.evidence[0].quote
    assert b.stories[1].disagreements == [] and b.stories[1].id == "story-2"
    assert b.counts.model_dump() == {
        "inputs": 3,
        "summarized": 3,
        "cached": 0,
        "failed": 0,
        "duplicates": 0,
        "not_attempted": 0,
        "degraded": 0,
    }
    prov = b.provenance
    assert [p.name for p in prov.prompts] == ["summarize.system.j2", "summarize.user.j2"]
    assert prov.endpoint == "http://fake.test/v1/" and prov.strategy


def test_unrelated_proposals_stay_apart() -> None:
    model = ArticleModel([])
    a = run([RENT_A], model).items[0].summary
    s = run([STEEL], model).items[0].summary
    assert a is not None and s is not None
    assert related(a, a) and not related(a, s)


def test_shared_countries_or_a_decade_apart_do_not_make_one_story() -> None:
    model = ArticleModel([])
    a = run([RENT_A], model).items[0].summary
    assert a is not None and a.proposal is not None
    people = [Participant(name=n, kind="person") for n in ("Ana Gil", "Li Wei")]
    countries = [Participant(name=n, kind="country") for n in ("Russia", "United States")]

    def about(statement: str, participants: list[Participant]) -> Summary:
        proposal = a.proposal.model_copy(update={"statement": statement})  # type: ignore[union-attr]
        return a.model_copy(update={"proposal": proposal, "participants": participants})

    ukraine = about("French and British military support plan for Ukraine", [])
    syria = "U.S.-Russia plan for Syria ceasefire to start on Saturday"  # 50 with the above
    assert not related(
        about(syria, countries), ukraine.model_copy(update={"participants": countries})
    )
    same_people = ukraine.model_copy(update={"participants": people})
    assert related(about(syria, people), same_people, days_apart=2)
    assert not related(about(syria, people), same_people, days_apart=3_286)  # 2016 vs 2025
    assert related(ukraine, ukraine, days_apart=3_286)  # the same proposal: any dates


def test_a_lone_surname_merges_only_when_it_is_unambiguous() -> None:
    def p(name: str, kind: str = "person") -> Participant:
        return Participant(name=name, kind=kind)  # type: ignore[arg-type]

    assert same_actor(p("Olbrecht"), p("Stefan Olbrecht"))
    assert not same_actor(p("Smith"), p("John Smith"), ambiguous={"smith"})
    assert not same_actor(p("Ostmark", "country"), p("Bank of Ostmark", "organization"))
    assert same_actor(p("NATO", "organization"), p("Nato", "organization"))


def test_second_run_makes_no_model_call(tmp_path: Path) -> None:
    cache = tmp_path / "summaries.sqlite3"
    first = run([RENT_A, RENT_B, STEEL], ArticleModel([]), cache=cache)
    again = ArticleModel([], answers={k: AssertionError("asked again") for k in ANSWERS})
    second = run([RENT_A, RENT_B, STEEL], again, cache=cache)
    assert again.requests == []
    assert second.counts.cached == 3 and second.counts.summarized == 3
    assert all(i.cached for i in second.items) and not any(i.cached for i in first.items)
    assert [i.summary for i in second.items] == [i.summary for i in first.items]
    assert second.stories == first.stories


def test_cache_key_changes_with_the_model_settings(tmp_path: Path) -> None:
    cache = tmp_path / "summaries.sqlite3"
    run([STEEL], ArticleModel([]), cache=cache)
    other = load_settings({}, max_reasks=0, temperature=0.7)
    model = ArticleModel([])
    brief([STEEL], date=DAY, client=model.async_client(), settings=other, cache=cache)
    assert model.asked == ["steel"]


def test_same_text_modulo_whitespace_is_summarized_once() -> None:
    copy = Article(id="rent-copy", title="Reprint", text="  " + RENT_A.text.replace(" ", "\n  "))
    model = ArticleModel([])
    b = run([copy, RENT_A], model)
    assert model.asked == ["rent-a"]
    assert [(i.id, i.duplicate_of, i.summary is None) for i in b.items] == [
        ("rent-a", None, False),
        ("rent-copy", "rent-a", True),
    ]
    assert b.counts.duplicates == 1 and b.counts.summarized == 1 and b.counts.inputs == 2
    assert b.stories[0].article_ids == ["rent-a"]


def test_interrupted_run_resumes_with_only_the_missing_articles(tmp_path: Path) -> None:
    cache = tmp_path / "summaries.sqlite3"
    broken = ArticleModel([], answers={"rent-b": KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        run([RENT_A, RENT_B, STEEL], broken, cache=cache, concurrency=1)
    assert broken.asked == ["rent-a", "rent-b"]
    with SummaryCache(cache) as store:
        assert len(store) == 1  # rent-a was written as soon as it was done
    resumed = ArticleModel([])
    b = run([RENT_A, RENT_B, STEEL], resumed, cache=cache)
    assert resumed.asked == ["rent-b", "steel"]
    assert b.counts.cached == 1 and b.counts.failed == 0


def test_endpoint_failure_is_kept_and_a_rerun_retries_only_it(tmp_path: Path) -> None:
    cache = tmp_path / "summaries.sqlite3"
    down = ArticleModel([], answers={"rent-b": httpx2.ConnectError("connection refused")})
    b = run([RENT_A, RENT_B, STEEL], down, cache=cache)
    [failure] = b.failures
    assert failure.id == "rent-b" and failure.reason.startswith("model endpoint failed")
    assert "\n" not in failure.reason and failure.attempts == 1  # the one failed request
    assert [i.id for i in b.items] == ["rent-a", "steel"] and b.counts.failed == 1
    again = ArticleModel([])
    assert run([RENT_A, RENT_B, STEEL], again, cache=cache).failures == []
    assert again.asked == ["rent-b"]


def test_model_output_error_is_a_failure_with_attempts() -> None:
    model = ArticleModel([], answers={"steel": {"headline": "only this"}})
    b = run([STEEL], model)
    [failure] = b.failures
    assert failure.attempts == 1 and "did not match the schema" in failure.reason


def test_article_checks_fail_before_any_model_call() -> None:
    model = ArticleModel([])
    long = Article(id="long", text="word " * 500)
    settings = load_settings({}, max_article_chars=1000)
    b = brief([long, STEEL], date=DAY, client=model.async_client(), settings=settings, cache=False)
    assert model.asked == ["steel"]
    assert b.failures[0].id == "long" and "limit is 1,000" in b.failures[0].reason


def _without_times(b: Briefing) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(b.model_dump_json())
    data.pop("generated_at")
    for item in data["items"]:
        if item["summary"]:
            item["summary"]["meta"].pop("created_at")
            item["summary"]["meta"].pop("latency_s")
    return data


def test_two_runs_give_the_same_briefing_but_for_timestamps() -> None:
    later = FakeClock(t=5.0, fixed_now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    one = run([RENT_A, STEEL, RENT_B], ArticleModel([]), concurrency=3)
    two = run([RENT_B, RENT_A, STEEL], ArticleModel([]), concurrency=1, clock=later)
    assert one.generated_at != two.generated_at
    assert _without_times(one) == _without_times(two)


def test_progress_is_reported_until_done() -> None:
    seen: list[tuple[int, int, int]] = []
    run(
        [RENT_A, STEEL],
        ArticleModel([], answers={"steel": httpx2.Response(400, json={"error": "no"})}),
        on_progress=lambda t: seen.append((t.summarized, t.failed, t.pending)),
    )
    assert seen[0] == (0, 0, 2) and seen[-1] == (1, 1, 0)


def test_cache_is_shared_safely_by_two_connections(tmp_path: Path) -> None:
    path = tmp_path / "c" / "summaries.sqlite3"
    summary = run([STEEL], ArticleModel([])).items[0].summary
    assert summary is not None
    with SummaryCache(path) as one, SummaryCache(path) as two:
        one.put("k1", summary)
        two.put("k2", summary)
        two.put("k1", summary)  # INSERT OR REPLACE
        assert one.get("k2") == summary and two.get("k1") == summary and len(one) == 2
        assert one.get("missing") is None
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_two_writers_share_the_cache_file_at_once(tmp_path: Path) -> None:
    """Two connections writing at once (what two processes do): no 'database is locked'."""
    summary = run([STEEL], ArticleModel([])).items[0].summary
    assert summary is not None
    db = tmp_path / "summaries.sqlite3"

    def write(name: str) -> None:
        with SummaryCache(db) as store:
            for n in range(40):
                store.put(f"{name}-{n}", summary)
                assert store.get(f"{name}-{n}") == summary

    workers = [threading.Thread(target=write, args=(name,)) for name in ("one", "two")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    with SummaryCache(db) as store:
        assert len(store) == 80 and store.get("two-39") == summary


def test_unusable_cache_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "summaries.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Exception, match=r"summary cache .* is not usable"):
        SummaryCache(path)
