"""Briefing stage 3 — many articles in, one Briefing out: summarize, cache, group.

brief() summarizes each article at most once (duplicates and cache hits make no model
call), at most `concurrency` at a time, writing each summary to the cache as soon as it
is made, then groups the summaries into stories (see stories.py). Every input ends up in
`items` or in `failures` with a one-line reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openai
from pydantic import Field

from ..blocking import blocking
from ..clock import Clock, SystemClock
from ..errors import CommuniqueError
from ..ingest.article import Article, check_article
from ..ingest.inputs import Input, unique_ids
from ..llm import embedded
from ..llm.client import aconnect, wrap_client
from ..llm.redaction import public_url
from ..models import SCHEMA_VERSION, ClosedModel, PromptRef, Summary
from ..pipeline.call import strategy_name, template_names
from ..pipeline.summarize import asummarize_on
from ..prompt.templates import load_template
from ..settings import Settings, load_settings
from .cache import SummaryCache, cache_key
from .earlystop import Streak
from .stories import Story, group_stories


class Provenance(ClosedModel):
    model: str
    endpoint: str
    strategy: str
    prompts: list[PromptRef]
    schema_version: str = SCHEMA_VERSION


class Counts(ClosedModel):
    """inputs = summarized + duplicates + failed; cached counts summaries read from cache;
    not_attempted counts the failures never sent (the briefing stopped early); degraded
    counts the summaries whose follow-up call failed (kept, not cached)."""

    inputs: int
    summarized: int
    cached: int
    failed: int
    duplicates: int
    not_attempted: int = 0
    degraded: int = 0


class Item(ClosedModel):
    id: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    path: str | None = Field(default=None, description="input file, or stdin:LINE")
    article_sha256: str
    cached: bool = False
    duplicate_of: str | None = Field(
        default=None, description="id of the item with the same text (modulo whitespace)"
    )
    summary: Summary | None = Field(default=None, description="null for a duplicate")


class Failure(ClosedModel):
    id: str
    path: str | None = None
    reason: str = Field(description="one line")
    attempts: int = 0
    attempted: bool = Field(
        default=True, description="false when the briefing stopped before asking the model"
    )


class Briefing(ClosedModel):
    """Many articles, summarized and grouped into stories about the same proposal."""

    date: dt.date
    generated_at: dt.datetime
    provenance: Provenance
    counts: Counts
    stories: list[Story]
    items: list[Item]
    failures: list[Failure]
    stopped: str | None = Field(
        default=None,
        description="why the briefing stopped asking the model early (the endpoint kept "
        "failing the same way); the articles it did not ask about are failures, not attempted",
    )


@dataclass(frozen=True)
class Tally:
    """Progress so far, passed to the on_progress callback after every change."""

    total: int
    summarized: int = 0
    cached: int = 0
    failed: int = 0
    duplicates: int = 0
    pending: int = 0  # model calls still to make


Progress = Callable[[Tally], None]


@dataclass
class _Run:
    settings: Settings
    clock: Clock
    store: SummaryCache | None
    total: int
    on_progress: Progress | None
    summaries: dict[str, Summary] = field(default_factory=dict)
    cached: set[str] = field(default_factory=set)
    duplicate_of: dict[str, str] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    pending: int = 0
    streak: Streak = field(default_factory=lambda: Streak(0))

    def fail(self, inp: Input, reason: str, attempts: int = 0, *, attempted: bool = True) -> None:
        self.failures[inp.id] = Failure(
            id=inp.id,
            path=inp.path,
            reason=" ".join(reason.split()),
            attempts=attempts,
            attempted=attempted,
        )

    def report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(
                Tally(
                    total=self.total,
                    summarized=len(self.summaries) - len(self.cached),
                    cached=len(self.cached),
                    failed=len(self.failures),
                    duplicates=len(self.duplicate_of),
                    pending=self.pending,
                )
            )


async def abrief(
    articles: Iterable[Article | Input],
    *,
    date: dt.date,
    client: openai.AsyncOpenAI | None = None,
    settings: Settings | None = None,
    cache: SummaryCache | Path | bool = True,
    concurrency: int | None = None,
    clock: Clock | None = None,
    on_progress: Progress | None = None,
) -> Briefing:
    """The async brief().

    cache: True = settings.cache_dir/summaries.sqlite3, a Path = that SQLite file, a
    SummaryCache = use it, False = no cache. concurrency: model calls at once (default
    settings.server_slots for the embedded model, whose slots decode together, else 4).
    """
    settings = settings or load_settings()
    clock = clock or SystemClock()
    inputs = _as_inputs(articles)
    store = _open_cache(cache, settings)
    prompts = [load_template(name).ref for name in template_names(settings)]
    endpoint = _endpoint(settings, client)
    run = _Run(settings, clock, store, len(inputs), on_progress)
    run.streak = Streak(settings.stop_after_failures)
    try:
        todo = _plan(run, inputs, endpoint, prompts)
        run.pending = len(todo)
        run.report()
        if todo:
            slots = settings.server_slots if settings.embedded and client is None else 4
            limit = concurrency or slots
            await _summarize_all(run, todo, client, max(1, limit))
    finally:
        if store is not None and store is not cache:
            store.close()
    return _assemble(
        run,
        inputs,
        date,
        Provenance(
            model=settings.model,
            endpoint=endpoint,
            strategy=strategy_name(settings),
            prompts=prompts,
        ),
    )


brief = blocking(abrief, "brief", "Summarize and group articles into a Briefing (see abrief).")


def _as_inputs(articles: Iterable[Article | Input]) -> list[Input]:
    out = [a if isinstance(a, Input) else Input(a.label, None, article=a) for a in articles]
    return sorted(unique_ids(out), key=lambda i: i.id)


def _open_cache(cache: SummaryCache | Path | bool, settings: Settings) -> SummaryCache | None:
    if isinstance(cache, SummaryCache):
        return cache
    if isinstance(cache, Path):
        return SummaryCache(cache)
    return SummaryCache.in_dir(settings.cache_dir) if cache else None


def _endpoint(settings: Settings, client: openai.AsyncOpenAI | None) -> str:
    """The endpoint as Summary.meta names it ("embedded" for the local model)."""
    if client is None:
        return "embedded" if settings.embedded else public_url(settings.base_url)
    url = public_url(str(client.base_url))
    return "embedded" if settings.embedded and url.startswith("http://127.0.0.1") else url


def _plan(
    run: _Run, inputs: Sequence[Input], endpoint: str, prompts: list[PromptRef]
) -> list[tuple[Input, Article, str]]:
    """Settle failures, duplicates and cache hits; return what needs the model."""
    first: dict[str, str] = {}  # hash of whitespace-normalised text -> first item id
    todo: list[tuple[Input, Article, str]] = []
    for inp in inputs:
        article = inp.article
        if article is None:
            run.fail(inp, inp.error or "unreadable")
            continue
        try:
            check_article(article, max_chars=run.settings.max_article_chars)
        except CommuniqueError as exc:
            run.fail(inp, exc.message)
            continue
        same = hashlib.sha256(" ".join(article.text.split()).encode("utf-8")).hexdigest()
        if same in first:
            run.duplicate_of[inp.id] = first[same]
            continue
        first[same] = inp.id
        key = cache_key(
            article,
            settings=run.settings,
            endpoint=endpoint,
            prompts=prompts,
            strategy=strategy_name(run.settings),
        )
        hit = run.store.get(key) if run.store is not None else None
        if hit is None:
            todo.append((inp, article, key))
            continue
        meta = hit.meta.model_copy(update={"article_id": article.label})
        run.summaries[inp.id] = hit.model_copy(update={"meta": meta})
        run.cached.add(inp.id)
    return todo


async def _summarize_all(
    run: _Run,
    todo: list[tuple[Input, Article, str]],
    client: openai.AsyncOpenAI | None,
    limit: int,
) -> None:
    owned: openai.AsyncOpenAI | None = None
    if client is None:  # one connection for the whole briefing, started only when needed
        base = await embedded.amodel_url(run.settings)
        raw = aconnect(run.settings, base, clock=run.clock).raw
        assert isinstance(raw, openai.AsyncOpenAI)
        owned = raw
    conn = wrap_client(client or owned)  # shared by every article (one instructor client)
    gate = asyncio.Semaphore(limit)

    async def one(inp: Input, article: Article, key: str) -> None:
        async with gate:
            if run.streak.stopped is not None:
                run.fail(inp, f"not attempted: {run.streak.stopped}", attempted=False)
                run.pending -= 1
                run.report()
                return
            try:
                summary = await asummarize_on(conn, article, settings=run.settings, clock=run.clock)
            except CommuniqueError as exc:
                run.fail(inp, exc.message, exc.attempts or 0)
                run.streak.failure(exc)
            else:
                run.streak.success()
                # at once: an interrupted run resumes here; a degraded summary is not
                # final (its follow-up call failed), so it is not cached: a re-run tries again
                if run.store is not None and summary.meta.degraded is None:
                    run.store.put(key, summary)
                run.summaries[inp.id] = summary
            run.pending -= 1
            run.report()

    try:
        await asyncio.gather(*(one(*job) for job in todo))
    finally:
        if owned is not None:
            await owned.close()


def _assemble(run: _Run, inputs: Sequence[Input], date: dt.date, prov: Provenance) -> Briefing:
    items: list[Item] = []
    for inp in inputs:
        article = inp.article
        if article is None or inp.id in run.failures:
            continue
        original = run.duplicate_of.get(inp.id)
        if original is not None and original in run.failures:
            run.fail(inp, f"same text as {original}, which failed")
            continue
        items.append(
            Item(
                id=inp.id,
                title=article.title,
                date=article.date,
                source=article.source,
                path=inp.path,
                article_sha256=article.sha256,
                cached=inp.id in run.cached,
                duplicate_of=original,
                summary=run.summaries.get(inp.id),
            )
        )
    failures = sorted(run.failures.values(), key=lambda f: f.id)
    duplicates = sum(1 for i in items if i.duplicate_of)
    return Briefing(
        date=date,
        generated_at=run.clock.now(),
        provenance=prov,
        counts=Counts(
            inputs=len(inputs),
            summarized=len(items) - duplicates,
            cached=len(run.cached),
            failed=len(failures),
            duplicates=duplicates,
            not_attempted=sum(1 for f in failures if not f.attempted),
            degraded=sum(1 for i in items if i.summary is not None and i.summary.meta.degraded),
        ),
        stories=group_stories(items),
        items=items,
        failures=failures,
        stopped=run.streak.stopped,
    )
