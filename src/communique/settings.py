"""Configuration: explicit argument > environment variable > default, resolved once.

This is the only module that reads the process environment, and only when the caller
does not pass a mapping of its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError

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
    max_article_chars: int = 20_000
    cache_dir: Path = Path(platformdirs.user_cache_dir("communique"))
    threads: int = 0  # embedded model CPU threads; 0 = all cores
    context_tokens: int = 8192

    @property
    def embedded(self) -> bool:
        return self.base_url == EMBEDDED

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
}


def load_settings(environ: Mapping[str, str] | None = None, **explicit: Any) -> Settings:
    """Resolve settings: explicit keyword arguments win, then environment, then defaults."""
    env = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    for name, variables in ENV_VARS.items():
        if explicit.get(name) is not None:
            values[name] = explicit[name]
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


def _convert(name: str, var: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            return raw.lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path):
            return Path(raw).expanduser()
    except ValueError as exc:
        raise ConfigError(
            f"{var}={raw!r} is not a valid {type(default).__name__} ({name})"
        ) from exc
    return raw


def _check(settings: Settings, *, explicit_model: bool) -> None:
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
    if not settings.base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"base URL {settings.base_url!r} must start with http:// or https:// "
            "(or be 'embedded' for the local model)"
        )
    if not explicit_model:
        raise ConfigError(
            f"an endpoint is set ({settings.base_url}) but no model: set COMMUNIQUE_MODEL "
            "or pass --model (e.g. gpt-4o-mini, qwen2.5:7b-instruct)"
        )
    if "api.openai.com" in settings.base_url and not settings.api_key:
        raise ConfigError("OPENAI_API_KEY is not set; it is required for api.openai.com")
