"""Stage 2 — the prompt: Jinja templates from prompts/, rendered strictly in a sandbox."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from ..errors import ConfigError
from ..models import PromptRef


@cache
def prompts_dir() -> Path:
    """Templates ship inside the wheel (communique/prompts); a checkout uses ./prompts."""
    packaged = Path(str(resources.files("communique"))) / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "prompts"


@dataclass(frozen=True)
class Template:
    name: str
    source: str

    @property
    def ref(self) -> PromptRef:
        return _ref(self.name, self.source)

    def render(self, **context: Any) -> str:
        return _compiled(self.source).render(**context)


@lru_cache(maxsize=64)  # one PromptRef per template version, shared by every summary
def _ref(name: str, source: str) -> PromptRef:
    return PromptRef(name=name, sha256=hashlib.sha256(source.encode()).hexdigest())


@cache
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


@lru_cache(maxsize=64)  # compiling costs milliseconds; the templates rarely change
def _compiled(source: str) -> jinja2.Template:
    return _env().from_string(source)


def load_template(name: str, directory: Path | None = None) -> Template:
    path = (directory or prompts_dir()) / name
    try:
        return Template(name=name, source=path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"prompt template {name!r} not found in {path.parent}") from exc
    except TemplateNotFound as exc:  # pragma: no cover - defensive
        raise ConfigError(str(exc)) from exc
