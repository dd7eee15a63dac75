"""JSON Schemas generated from the Pydantic models (`communique schema [--check]`)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .briefing import Briefing
from .evaluation.labels import Label
from .models import Summary

SCHEMAS: dict[str, type[BaseModel]] = {
    "summary.schema.json": Summary,
    "briefing.schema.json": Briefing,
    "label.schema.json": Label,  # seeds/labels/*.json (eval harness)
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = directory / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


def stale(directory: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    out = []
    for name, model in SCHEMAS.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(model):
            out.append(name)
    return out
