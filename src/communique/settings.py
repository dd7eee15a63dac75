"""Configuration: explicit argument > environment variable > default, resolved once.

This is the only module that reads the process environment, and only when the caller
does not pass a mapping of its own.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from .errors import ConfigError
from .llm.redaction import public_url

EMBEDDED = "embedded"
EMBEDDED_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"


@dataclass(frozen=True)
class Settings:
    """Everything a summarize call needs to know; immutable once resolved."""

    model: str = EMBEDDED_MODEL
    base_url: str = EMBEDDED  # "embedded" = start the local model on 127.0.0.1
    api_key: str | None = None
    timeout_s: float = 600.0  # one HTTP request
    deadline_s: float = 1800.0  # one article: every request, retry, wait and re-ask
    max_reasks: int = 1  # validation re-asks by instructor (attempts = 1 + re-asks)
    transport_retries: int = 4  # 429 / 5xx / timeouts / resets, by the HTTP transport
    temperature: float = 0.0
    seed: int = 7
    max_tokens: int = 1400
    # Longer articles are refused (a 10 MB file is a mistake, not an article); articles
    # longer than one call can take are split into chunks of chunk_chars (0 = derived
    # from context_tokens and max_tokens).
    max_article_chars: int = 200_000
    chunk_chars: int = 0
    cache_dir: Path = Path(platformdirs.user_cache_dir("communique"))
    threads: int = 0  # embedded model CPU threads; 0 = all cores
    context_tokens: int = 8192  # per request (each of the server's slots gets this many)
    # The embedded server is shared by every process using this cache dir: it serves
    # server_slots requests at once (llama.cpp queues the rest) and stops itself after
    # server_idle_s seconds without a live client.
    server_slots: int = 2
    server_idle_s: float = 300.0
    # The embedded server's speed levers (`python -m bench model` measures them):
    # n-gram speculative decoding "TYPE:N:M" drafts the M tokens that followed the last
    # earlier occurrence of the last N tokens (an answer copies the article's words) and
    # the model checks the draft in one batch; "off" decodes one token at a time. Off by
    # default: on 2 cores generation is compute bound and it measured 0.97x (README).
    # flash_attn: llama.cpp's flash attention, "auto", "on" or "off".
    speculative: str = "off"
    flash_attn: str = "auto"
    # "two-pass": a short follow-up call asks about the names and planned steps the first
    # answer left out (what a small model misses); "single": one call, for strong models;
    # "per-actor": two-pass, then one short call per participant still without a position
    # (more positions found, about 5 s per call on 2 cores, stances no better).
    strategy: str = "two-pass"

    @property
    def follow_up(self) -> bool:
        """The strategy makes the follow-up call (two-pass, per-actor)."""
        return self.strategy in ("two-pass", "per-actor")

    # a briefing stops after this many consecutive identical endpoint failures (a wrong
    # key, an unknown model, nothing listening) instead of failing every article; 0 = never
    stop_after_failures: int = 3
    # Grounding rules switched off, by id (`communique rules`): for ablation; a rule that
    # enforces a guarantee of the output cannot be switched off.
    disabled_rules: frozenset[str] = frozenset()

    @property
    def embedded(self) -> bool:
        return self.base_url == EMBEDDED

    def __repr__(self) -> str:  # the API key never appears in a repr, log or traceback
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["api_key"] = "***" if self.api_key else None
        shown["base_url"] = public_url(self.base_url)
        return f"Settings({', '.join(f'{k}={v!r}' for k, v in shown.items())})"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# setting name -> environment variables, first one set wins
ENV_VARS: dict[str, tuple[str, ...]] = {
    "model": ("COMMUNIQUE_MODEL",),
    "base_url": ("COMMUNIQUE_BASE_URL", "OPENAI_BASE_URL"),
    "api_key": ("COMMUNIQUE_API_KEY", "OPENAI_API_KEY"),
    "timeout_s": ("COMMUNIQUE_TIMEOUT",),
    "deadline_s": ("COMMUNIQUE_DEADLINE",),
    "max_reasks": ("COMMUNIQUE_MAX_REASKS",),
    "transport_retries": ("COMMUNIQUE_TRANSPORT_RETRIES",),
    "temperature": ("COMMUNIQUE_TEMPERATURE",),
    "seed": ("COMMUNIQUE_SEED",),
    "max_tokens": ("COMMUNIQUE_MAX_TOKENS",),
    "max_article_chars": ("COMMUNIQUE_MAX_ARTICLE_CHARS",),
    "cache_dir": ("COMMUNIQUE_CACHE_DIR",),
    "threads": ("COMMUNIQUE_THREADS",),
    "context_tokens": ("COMMUNIQUE_CONTEXT_TOKENS",),
    "strategy": ("COMMUNIQUE_STRATEGY",),
    "chunk_chars": ("COMMUNIQUE_CHUNK_CHARS",),
    "stop_after_failures": ("COMMUNIQUE_STOP_AFTER_FAILURES",),
    "server_slots": ("COMMUNIQUE_SERVER_SLOTS",),
    "server_idle_s": ("COMMUNIQUE_SERVER_IDLE",),
    "speculative": ("COMMUNIQUE_SPECULATIVE",),
    "flash_attn": ("COMMUNIQUE_FLASH_ATTN",),
    "disabled_rules": ("COMMUNIQUE_DISABLED_RULES",),
}
STRATEGIES = ("two-pass", "single", "per-actor")
SPECULATIVE_TYPES = ("ngram-simple", "ngram-map-k")
FLASH_ATTN = ("auto", "on", "off")


def speculative_parts(value: str) -> tuple[str, int, int] | None:
    """'ngram-simple:3:8' -> ('ngram-simple', 3, 8); 'off' -> None. ConfigError if malformed."""
    if value.strip().lower() == "off":
        return None
    parts = value.strip().split(":")
    try:
        kind, n, m = parts[0], int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        kind, n, m = "", 0, 0
    if kind not in SPECULATIVE_TYPES or len(parts) != 3 or not (1 <= n <= 64 and 1 <= m <= 64):
        raise ConfigError(
            f"speculative={value!r} is not 'off' or TYPE:N:M with TYPE one of "
            f"{', '.join(SPECULATIVE_TYPES)} and N, M from 1 to 64, e.g. "
            "ngram-simple:3:8 (COMMUNIQUE_SPECULATIVE)"
        )
    return kind, n, m


def load_settings(environ: Mapping[str, str] | None = None, **explicit: Any) -> Settings:
    """Resolve settings: explicit keyword arguments win, then environment, then defaults."""
    env = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    for name, variables in ENV_VARS.items():
        if explicit.get(name) is not None:
            values[name] = explicit[name]
            if name == "disabled_rules":  # any collection of ids, or "a,b" as in the env
                values[name] = _rule_ids(explicit[name])
            continue
        for var in variables:
            raw = env.get(var)
            if raw:
                values[name] = _convert(name, var, raw, getattr(defaults, name))
                break
    unknown = set(explicit) - set(ENV_VARS)
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    settings = replace(defaults, **values)
    _check(settings, explicit_model="model" in values)
    return settings


# numeric settings: (lowest allowed value, what it means), for actionable messages
_RANGES: dict[str, tuple[float, str]] = {
    "timeout_s": (0.001, "seconds"),
    "max_reasks": (0, "re-asks"),
    "transport_retries": (0, "retries"),
    "temperature": (0, "sampling temperature"),
    "max_tokens": (1, "tokens"),
    "max_article_chars": (1, "characters"),
    "threads": (0, "threads; 0 = all cores"),
    "context_tokens": (256, "tokens"),
    "stop_after_failures": (0, "failures in a row; 0 = never stop"),
    "server_slots": (1, "requests the embedded server serves at once"),
    "server_idle_s": (0, "seconds"),
}


def _convert(name: str, var: str, raw: str, default: Any) -> Any:
    value = raw.strip()
    try:
        if isinstance(default, bool):
            return value.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, Path):
            return Path(value).expanduser()
        if isinstance(default, frozenset):
            return _rule_ids(value)
    except ValueError as exc:
        kind = "whole number" if isinstance(default, int) else "number"
        raise ConfigError(
            f"{var}={raw!r} is not a valid {type(default).__name__} ({name}): set it to a "
            f"{kind} such as {default}, or unset it for the default"
        ) from exc
    return value


def _rule_ids(value: str | Iterable[str]) -> frozenset[str]:
    """'a, b' or ['a', 'b'] -> frozenset({'a', 'b'})."""
    ids = value.split(",") if isinstance(value, str) else value
    return frozenset(i.strip() for i in ids if i.strip())


def _check(settings: Settings, *, explicit_model: bool) -> None:
    _check_ranges(settings)
    _check_rules(settings.disabled_rules)
    if settings.strategy not in STRATEGIES:
        raise ConfigError(
            f"strategy {settings.strategy!r} is not one of {', '.join(STRATEGIES)} "
            "(COMMUNIQUE_STRATEGY)"
        )
    speculative_parts(settings.speculative)
    if settings.flash_attn not in FLASH_ATTN:
        raise ConfigError(
            f"flash_attn {settings.flash_attn!r} is not one of {', '.join(FLASH_ATTN)} "
            "(COMMUNIQUE_FLASH_ATTN)"
        )
    if settings.deadline_s <= 0:
        raise ConfigError(
            f"the per-article deadline must be positive, not {settings.deadline_s} "
            "(COMMUNIQUE_DEADLINE, seconds)"
        )
    if settings.embedded:
        if settings.model != EMBEDDED_MODEL:
            raise ConfigError(
                f"model {settings.model!r} needs an endpoint: set COMMUNIQUE_BASE_URL "
                f"(the embedded runtime serves only {EMBEDDED_MODEL})"
            )
        return
    _check_url(settings.base_url)
    if not explicit_model:
        raise ConfigError(
            f"an endpoint is set ({public_url(settings.base_url)}) but no model: set "
            "COMMUNIQUE_MODEL or pass --model (e.g. gpt-4o-mini, qwen2.5:7b-instruct)"
        )
    if "api.openai.com" in settings.base_url and not settings.api_key:
        raise ConfigError("OPENAI_API_KEY is not set; it is required for api.openai.com")


def _check_rules(disabled: frozenset[str]) -> None:
    if not disabled:
        return
    from .grounding.rules.registry import (
        RULES,  # the rules import settings' users: resolved on demand
    )

    unknown = sorted(disabled - set(RULES))
    if unknown:
        raise ConfigError(
            f"unknown rule(s) {', '.join(unknown)} in COMMUNIQUE_DISABLED_RULES (or "
            "disabled_rules): `communique rules` lists the rule ids"
        )
    fixed = sorted(i for i in disabled if RULES[i].fixed)
    if fixed:
        raise ConfigError(
            f"rule(s) {', '.join(fixed)} enforce a guarantee of the output and cannot be "
            "switched off (`communique rules` marks them fixed)"
        )


def _check_ranges(settings: Settings) -> None:
    for name, (lowest, unit) in _RANGES.items():
        value = getattr(settings, name)
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"setting {name}={value!r} must be a number ({unit})")
        if not math.isfinite(value) or value < lowest:
            var = ENV_VARS[name][0]
            raise ConfigError(
                f"{name}={value!r} is out of range: it must be at least {lowest:g} ({unit}); "
                f"fix {var} (or the argument that sets it)"
            )


def _check_url(url: str) -> None:
    shown = public_url(url)
    hint = "(or 'embedded' for the local model)"
    if "://" not in url:
        raise ConfigError(
            f"base URL {shown!r} has no scheme: use http://{shown} or https://{shown} {hint}"
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ConfigError(
            f"base URL {shown!r} must start with http:// or https://, not {parts.scheme}:// {hint}"
        )
    if not parts.hostname or any(c.isspace() for c in url):
        raise ConfigError(
            f"base URL {shown!r} is not a valid URL: give http(s)://HOST[:PORT]/PATH, "
            f"e.g. http://localhost:8000/v1 {hint}"
        )
