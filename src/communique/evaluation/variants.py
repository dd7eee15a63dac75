"""The variants the harness scores on the same model and seeds.

- pipeline: the real summarize() (schema-constrained, sentence-cited, grounded, re-asks).
- naive: the baseline to beat: one "return JSON" prompt through plain
  chat.completions.create with response_format json_object; no schema, no grounding,
  no re-asks. Its answer is parsed leniently (output.naive_output).
"""

from __future__ import annotations

from typing import Any

import openai

from ..clock import Clock
from ..errors import EndpointError, ModelOutputError
from ..ingest.article import Article
from ..models import PromptRef
from ..pipeline import call
from ..pipeline import summarize as summary
from ..prompt.templates import Template, load_template
from ..settings import Settings
from .output import Output, naive_output

VARIANTS = ("pipeline", "naive")
TEMPLATES = {
    "pipeline": tuple(call.template_names(Settings())),
    "naive": ("naive.system.j2", "naive.user.j2"),
}


def prompt_refs(variant: str) -> list[PromptRef]:
    return [load_template(name).ref for name in TEMPLATES[variant]]


def run_pipeline(
    article: Article, client: openai.OpenAI, settings: Settings, clock: Clock
) -> Output:
    try:
        result = summary.summarize(article, client=client, settings=settings, clock=clock)
    except ModelOutputError as exc:  # counts against schema validity; the eval goes on
        return Output(
            schema_valid=False,
            error=exc.message,
            attempts=exc.attempts or 1,
            prompt_tokens=exc.usage.get("prompt_tokens", 0),
            completion_tokens=exc.usage.get("completion_tokens", 0),
        )
    return Output.from_summary(result)


def naive_messages(article: Article) -> tuple[list[Template], list[dict[str, str]]]:
    system, user = (load_template(name) for name in TEMPLATES["naive"])
    text = user.render(
        title=article.title or "(none)",
        date=article.date.isoformat() if article.date else "(unknown)",
        text=article.text,
    )
    return [system, user], [
        {"role": "system", "content": system.render()},
        {"role": "user", "content": text},
    ]


def naive_kwargs(article: Article, settings: Settings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "model": settings.model,
        "messages": naive_messages(article)[1],
        "response_format": {"type": "json_object"},
        "temperature": settings.temperature,
        "seed": settings.seed,
        "max_tokens": settings.max_tokens,
    }
    if settings.embedded:  # the same llama.cpp sampling extras as the pipeline
        kwargs["extra_body"] = {"repeat_penalty": 1.1}
    return kwargs


def run_naive(article: Article, client: openai.OpenAI, settings: Settings, clock: Clock) -> Output:
    started = clock.monotonic()
    try:
        response = client.chat.completions.create(**naive_kwargs(article, settings))
    except openai.APIError as exc:
        raise EndpointError(f"model endpoint failed: {exc}", article_id=article.label) from exc
    usage = response.usage
    return naive_output(
        response.choices[0].message.content or "" if response.choices else "",
        article,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        latency_s=round(clock.monotonic() - started, 3),
    )


RUNNERS = {"pipeline": run_pipeline, "naive": run_naive}
