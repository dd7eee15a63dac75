"""Stage 5 — summarize(): article → prompt → model → grounding → Summary."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from . import embedded
from .article import Article, Sentence, check_article, coerce_article, split_sentences
from .candidates import find_candidates
from .clock import Clock, SystemClock
from .errors import CommuniqueError, EndpointError, ModelOutputError
from .extraction import ExtractionBase, GroundingContext, build_response_model, ground
from .language import language_note
from .llm import Connection, aconnect, connect, wrap_client
from .models import Meta, Summary
from .prompt import Template, load_template
from .settings import Settings, load_settings

STRATEGY = "sentence-cited+candidate-names"
SYSTEM_TEMPLATE = "summarize.system.j2"
USER_TEMPLATE = "summarize.user.j2"


@dataclass
class _Call:
    """Everything one summarize call prepares before talking to the model."""

    article: Article
    settings: Settings
    clock: Clock
    sentences: list[Sentence]
    templates: list[Template]
    messages: list[dict[str, str]]
    response_model: type[ExtractionBase]
    context: GroundingContext
    responses: list[tuple[int, int]] = field(default_factory=list)  # per attempt usage
    started: float = 0.0

    @cached_property
    def loose_model(self) -> type[ExtractionBase]:
        """Built only when the re-asks are exhausted (pydantic models cost milliseconds)."""
        return build_response_model(len(self.sentences), self.context.candidates, loose=True)

    def create_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": self.messages,
            "response_model": self.response_model,
            "max_retries": self.settings.max_reasks,
            "context": {"grounding": self.context},
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
            "max_tokens": self.settings.max_tokens,
        }
        if self.settings.embedded:
            # llama.cpp sampling extras: a small model loops without a repeat penalty.
            kwargs["extra_body"] = {"repeat_penalty": 1.1}
        return kwargs

    def client(self, conn: Connection) -> Any:
        client = conn.instructor()
        client.on("completion:response", self._record)
        return client

    def _record(self, response: Any) -> None:
        # Copied now: instructor later folds the running total into the same object.
        usage = getattr(response, "usage", None)
        self.responses.append(
            (
                int(getattr(usage, "prompt_tokens", 0) or 0),
                int(getattr(usage, "completion_tokens", 0) or 0),
            )
        )


def render_messages(
    article: Article, sentences: list[Sentence], candidates: list[str]
) -> tuple[list[Template], list[dict[str, str]]]:
    system = load_template(SYSTEM_TEMPLATE)
    user = load_template(USER_TEMPLATE)
    numbered = "\n".join(
        f"[{s.number}] " + " ".join(s.text.split()).replace("</article", "</ article")
        for s in sentences
    )
    user_text = user.render(
        article_id=article.label,
        title=article.title or "(none)",
        date=article.date.isoformat() if article.date else "(unknown)",
        source=article.source or "(unknown)",
        numbered_sentences=numbered,
        candidates="; ".join(candidates) or "(none found)",
        language_note=language_note(article.text),
    )
    return [system, user], [
        {"role": "system", "content": system.render()},
        {"role": "user", "content": user_text},
    ]


def _prepare(
    article: str | Path | Article,
    model: str | None,
    settings: Settings | None,
    clock: Clock | None,
) -> _Call:
    art = coerce_article(article)
    if settings is None:
        settings = load_settings(model=model)
    elif model is not None:
        settings = settings.with_overrides(model=model)
    check_article(art, max_chars=settings.max_article_chars)
    sentences = split_sentences(art.text)
    candidates = find_candidates(art.text, sentences)
    templates, messages = render_messages(art, sentences, candidates)
    return _Call(
        article=art,
        settings=settings,
        clock=clock or SystemClock(),
        sentences=sentences,
        templates=templates,
        messages=messages,
        response_model=build_response_model(len(sentences), candidates),
        context=GroundingContext(art, sentences, candidates),
    )


def summarize(
    article: str | Path | Article,
    *,
    client: openai.OpenAI | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
) -> Summary:
    """Summarize one article (text, path to a text file, or Article) into a Summary."""
    call = _prepare(article, model, settings, clock)
    if client is not None:
        return _run(call, wrap_client(client))
    base = embedded.ensure_server(call.settings) if call.settings.embedded else None
    conn = connect(call.settings, base or call.settings.base_url, clock=call.clock)
    with cast(openai.OpenAI, conn.raw):  # our own client: close its connections when done
        return _run(call, conn)


def _run(call: _Call, conn: Connection) -> Summary:
    call.started = call.clock.monotonic()
    try:
        extraction = call.client(conn).create(**call.create_kwargs())
    except Exception as exc:  # mapped to one CommuniqueError subclass below
        extraction = _recover(call, exc)
    return _finish(call, conn, extraction)


async def asummarize(
    article: str | Path | Article,
    *,
    client: openai.AsyncOpenAI | None = None,
    model: str | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
) -> Summary:
    """The async twin of summarize()."""
    call = _prepare(article, model, settings, clock)
    if client is not None:
        return await _arun(call, wrap_client(client))
    base = None
    if call.settings.embedded:
        base = await asyncio.to_thread(embedded.ensure_server, call.settings)
    conn = aconnect(call.settings, base or call.settings.base_url, clock=call.clock)
    async with cast(openai.AsyncOpenAI, conn.raw):
        return await _arun(call, conn)


async def _arun(call: _Call, conn: Connection) -> Summary:
    call.started = call.clock.monotonic()
    try:
        extraction = await call.client(conn).create(**call.create_kwargs())
    except Exception as exc:
        extraction = _recover(call, exc)
    return _finish(call, conn, extraction)


def _usage(call: _Call) -> dict[str, int]:
    return {
        "prompt_tokens": sum(p for p, _ in call.responses),
        "completion_tokens": sum(c for _, c in call.responses),
    }


def _recover(call: _Call, exc: Exception) -> ExtractionBase:
    """Map failures to CommuniqueError; after exhausted re-asks, keep what grounds."""
    attempts = len(call.responses)
    ctx: dict[str, Any] = {
        "article_id": call.article.label,
        "attempts": attempts,
        "usage": _usage(call),
    }
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, openai.APIError):
        cause = cause.__cause__
    if isinstance(cause, openai.APIError) or isinstance(exc, openai.APIError):
        raise EndpointError(f"model endpoint failed: {_describe(cause or exc)}", **ctx) from exc
    if isinstance(exc, IncompleteOutputException):
        raise ModelOutputError(
            f"the model's answer was cut off at max_tokens={call.settings.max_tokens} "
            "(raise COMMUNIQUE_MAX_TOKENS)",
            **ctx,
        ) from exc
    if isinstance(exc, InstructorRetryException) and exc.last_completion is not None:
        text = _content(exc.last_completion)
        try:
            return call.loose_model.model_validate_json(text)  # no context: lenient
        except ValidationError as invalid:
            raise ModelOutputError(
                f"the model's answer did not match the schema after {attempts} attempt(s): "
                f"{_first_error(invalid)}",
                **ctx,
            ) from exc
    if isinstance(exc, CommuniqueError):
        raise exc
    raise ModelOutputError(f"summarizing failed: {exc}", **ctx) from exc


def _finish(call: _Call, conn: Connection, extraction: ExtractionBase) -> Summary:
    parts = ground(extraction, call.context)
    usage = _usage(call)
    meta = Meta(
        model=call.settings.model,
        endpoint="embedded"
        if call.settings.embedded and conn.endpoint.startswith("http://127.0.0.1")
        else conn.endpoint,
        strategy=STRATEGY,
        prompts=[t.ref for t in call.templates],
        article_id=call.article.id,
        article_sha256=call.article.sha256,
        prompt_tokens=usage["prompt_tokens"],
        completion_tokens=usage["completion_tokens"],
        latency_s=round(call.clock.monotonic() - call.started, 3),
        attempts=max(1, len(call.responses)),
        transport_retries=conn.stats.retries,
        dropped=parts.dropped + parts.corrected,
        created_at=call.clock.now(),
    )
    return Summary(
        headline=extraction.headline.strip(),
        gist=extraction.gist.strip(),
        proposal=parts.proposal,
        participants=parts.participants,
        positions=parts.positions,
        next_steps=parts.next_steps,
        meta=meta,
    )


def _content(completion: Any) -> str:
    try:
        return str(completion.choices[0].message.content or "")
    except (AttributeError, IndexError):
        return json.dumps(completion) if isinstance(completion, dict) else str(completion)


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from {exc.request.url}: {str(exc.message)[:200]}"
    if isinstance(exc, openai.APIConnectionError):
        return f"cannot connect to {exc.request.url} ({exc.__cause__ or exc})"
    return str(exc)
