"""One summarize call prepared: the article checked and split into chunks, the messages
rendered, and the per-call state (attempts, usage, progress, notes) the drivers update."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, Unpack

import openai
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorError,
)
from instructor.core.hooks import Hooks
from pydantic import ValidationError

from .. import progress
from ..clock import Clock, SystemClock
from ..grounding.context import GroundedParts, GroundingContext, Paths
from ..grounding.rules import registry
from ..grounding.rules.rule import Switches
from ..ingest import chunking
from ..ingest.article import Article, check_article, coerce_article
from ..ingest.sentences import Sentence, split_sentences
from ..llm.client import CallScope
from ..models import Dropped
from ..progress import OnProgress
from ..prompt import limits
from ..prompt.candidates import find_candidates
from ..prompt.messages import SYSTEM_TEMPLATE, USER_TEMPLATE, render_messages
from ..prompt.response_model import Extraction, names_left_out
from ..prompt.templates import Template
from ..settings import Settings, load_settings
from . import followup, per_actor
from .failures import describe, first_cause

STRATEGY = "sentence-cited+candidate-names"
log = logging.getLogger("communique")


def strategy_name(settings: Settings) -> str:
    per_actor = "+per-actor" if settings.strategy == "per-actor" else ""
    return STRATEGY + ("+follow-up" if settings.follow_up else "") + per_actor


def template_names(settings: Settings) -> list[str]:
    """Every prompt template a summary under these settings is made with."""
    names = [SYSTEM_TEMPLATE, USER_TEMPLATE]
    if settings.follow_up:
        names += [followup.SYSTEM_TEMPLATE, followup.USER_TEMPLATE]
    if settings.strategy == "per-actor":
        names += [per_actor.SYSTEM_TEMPLATE, per_actor.USER_TEMPLATE]
    return names


@dataclass
class Call:
    """Everything one summarize call prepares before talking to the model."""

    article: Article
    settings: Settings
    clock: Clock
    sentences: list[Sentence]
    templates: list[Template]
    messages: list[dict[str, str]]
    context: GroundingContext
    responses: list[tuple[int, int]] = field(default_factory=list)  # per response usage
    started: float = 0.0
    scope: CallScope = field(init=False)  # set when the model call starts
    no_choices: bool = False  # an answer came back with an empty `choices` list
    not_completion: str | None = None  # the start of a body that is no JSON completion
    attempts: int = 0  # model requests instructor made (first + re-asks + re-sends)
    first_pass_attempts: int = 0  # of the main extraction; the follow-up pass not counted
    notes: list[Dropped] = field(default_factory=list)
    on_progress: OnProgress | None = None  # told of each request, answer and retry
    phase: str = progress.MAIN  # the phase whose request is running, for progress
    phase_attempts: int = 0
    request_sent: float = 0.0
    degraded: str | None = None  # why the summary is incomplete (Meta.degraded)
    paths: Paths = field(default_factory=Paths)  # where its summary's items came from

    def usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": sum(p for p, _ in self.responses),
            "completion_tokens": sum(c for _, c in self.responses),
        }

    def sampling(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "max_retries": self.settings.max_reasks,
            "temperature": self.settings.temperature,
            "seed": self.settings.seed,
            "max_tokens": self.settings.max_tokens,
            "hooks": self.hooks,
        }
        if self.settings.embedded:
            # llama.cpp sampling extras: a small model loops without a repeat penalty.
            kwargs["extra_body"] = {"repeat_penalty": 1.1}
        return kwargs

    def create_kwargs(self) -> dict[str, Any]:
        return {
            **self.sampling(),
            "messages": self.messages,
            "response_model": Extraction,  # this article's model inside `asking(context)`
        }

    def followup_request(self, parts: GroundedParts) -> tuple[followup.Plan, dict[str, Any]] | None:
        if not self.settings.follow_up:
            return None
        unplaced = followup.unplaced(parts, self.context, registry.preview)
        plan = followup.plan(self.context, parts, unplaced)
        if plan.empty:
            return None
        templates, messages = followup.render(plan, self.context, parts)
        self.templates = [*self.templates, *templates]
        model = followup.response_model(plan, self.context.candidates)
        left_out = followup.names_left_out(plan, self.context.candidates)
        self.notes += limits.notes("followup", left_out)
        return plan, {**self.sampling(), "messages": messages, "response_model": model}

    def actor_requests(
        self, parts: GroundedParts
    ) -> list[tuple[per_actor.Question, dict[str, Any]]]:
        """One short call per participant still without a position (pipeline/per_actor.py)."""
        if self.settings.strategy != "per-actor":
            return []
        unplaced = followup.unplaced(parts, self.context, registry.preview, per_actor.ASKED)
        questions = per_actor.questions(self.context, unplaced)
        if questions:
            self.templates = [*self.templates, *per_actor.templates()]
        return [
            (
                q,
                {
                    **self.sampling(),
                    "messages": per_actor.render(q, self.context, parts),
                    "response_model": per_actor.response_model(q),
                },
            )
            for q in questions
        ]

    def followup_failed(self, exc: Exception) -> None:
        """The first answer stands when the follow-up call fails; the reason is kept."""
        reason = self._failure("the follow-up", exc)
        self.degraded = reason
        self.notes.append(
            followup.CALL_FAILED.note("followup", reason + "; first answer kept", "dropped")
        )

    def actor_call_failed(self, exc: Exception, question: per_actor.Question) -> bool:
        """Note a failed per-actor call; True when the endpoint failed (ask no more)."""
        reason = self._failure(f"the per-actor '{question.name}'", exc)
        self.degraded = reason
        note = reason + "; it stays without a position"
        self.notes.append(per_actor.CALL_FAILED.note(question.item, note, "dropped"))
        return first_cause(exc, openai.APIError) is not None

    def _failure(self, what: str, exc: Exception) -> str:
        """Why a second-pass call failed (its answer is dropped); other errors propagate."""
        if (found := first_cause(exc, openai.APIError)) is not None:
            return f"{what} call failed: {describe(found)}"
        if isinstance(exc, IncompleteOutputException):
            return f"{what} answer was cut off at max_tokens={self.settings.max_tokens}"
        if isinstance(exc, InstructorError | ValidationError | json.JSONDecodeError):
            return f"{what} answer did not match its schema"
        raise exc

    @functools.cached_property
    def hooks(self) -> Hooks:
        """This call's instructor hooks: they count its attempts and record its usage."""
        hooks = Hooks()
        hooks.on("completion:kwargs", self._attempt)
        hooks.on("completion:response", self._record)
        return hooks

    def _attempt(self, *args: Any, **kwargs: Any) -> None:
        self.attempts += 1
        self.phase_attempts += 1
        if self.on_progress is not None:
            self.request_sent = self.clock.monotonic()
            self.on_progress(progress.Request(self.article.label, self.phase, self.phase_attempts))

    def retried(self, retry: int, retries: int, wait_s: float, reason: str) -> None:
        """The transport's notice of a retry, passed on as a progress event."""
        if self.on_progress is not None:
            event = progress.Retry(self.article.label, self.phase, retry, retries, wait_s, reason)
            self.on_progress(event)

    def _record(self, response: Any) -> None:
        # Copied now: instructor later folds the running total into the same object.
        usage = getattr(response, "usage", None)
        if isinstance(response, str | bytes):  # the SDK hands over a non-JSON body as is
            text = response.decode("utf-8", "replace") if isinstance(response, bytes) else response
            self.not_completion = " ".join(text.split())[:60]
        else:
            self.no_choices = self.no_choices or not getattr(response, "choices", None)
        self.responses.append(
            (
                int(getattr(usage, "prompt_tokens", 0) or 0),
                int(getattr(usage, "completion_tokens", 0) or 0),
            )
        )
        if self.on_progress is not None:
            seconds = self.clock.monotonic() - self.request_sent
            answer = progress.Answer(self.article.label, self.phase, *self.responses[-1], seconds)
            self.on_progress(answer)


class Options(TypedDict, total=False):
    """The keyword options of summarize() and asummarize() besides `client`.

    model: overrides the settings' model. settings: default load_settings() (which reads
    the environment). clock: default the system's. on_progress: called with a
    `progress.Request`, `Answer` or `Retry` as each model request is sent, answered or
    retried (from the calling thread)."""

    model: str | None
    settings: Settings | None
    clock: Clock | None
    on_progress: OnProgress | None


def prepare(
    article: str | Path | Article, **options: Unpack[Options]
) -> tuple[Article, list[chunking.Chunk], list[Call]]:
    """One call per chunk: a single one unless the article exceeds one call's context."""
    art = coerce_article(article)
    settings, model = options.get("settings"), options.get("model")
    if settings is None:
        settings = load_settings(model=model)
    elif model is not None:
        settings = settings.with_overrides(model=model)
    check_article(art, max_chars=settings.max_article_chars)
    clock = options.get("clock") or SystemClock()
    warn_if_future(art, clock)
    chunks = chunking.split(art, chunking.chunk_chars(settings))
    calls = [prepare_one(c.article, settings, clock) for c in chunks]
    for call in calls:
        call.on_progress = options.get("on_progress")
    return art, chunks, calls


def prepare_one(art: Article, settings: Settings, clock: Clock) -> Call:
    sentences = split_sentences(art.text)
    candidates = find_candidates(art.text, sentences)
    templates, messages = render_messages(art, sentences, candidates)
    context = GroundingContext(art, sentences, candidates, Switches(settings.disabled_rules))
    return Call(
        article=art,
        settings=settings,
        clock=clock,
        sentences=sentences,
        templates=templates,
        messages=messages,
        context=context,
        notes=limits.notes("request", names_left_out(candidates)),
    )


def warn_if_future(article: Article, clock: Clock) -> None:
    """A date after tomorrow (UTC) is kept, with a warning: 'on Thursday' is resolved
    from it, so a wrong date gives wrong next-step dates."""
    today = clock.now().date()
    if article.date is not None and article.date > today + dt.timedelta(days=1):
        log.warning(
            "[%s] the article's date %s is in the future (today is %s); next-step dates "
            "are resolved from it",
            article.label,
            article.date.isoformat(),
            today.isoformat(),
        )
