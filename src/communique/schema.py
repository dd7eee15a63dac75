"""JSON Schemas generated from the Pydantic models (`communique schema [--check]`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel

from .briefing.brief import Briefing
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
    missing, differ = compare(directory)
    return sorted(missing + differ, key=list(SCHEMAS).index)


def compare(directory: Path) -> tuple[list[str], list[str]]:
    """(missing, differing): the schema files absent from `directory`, and those whose
    text differs from what the installed package's models generate."""
    missing, differ = [], []
    for name, model in SCHEMAS.items():
        path = directory / name
        if not path.exists():
            missing.append(name)
        elif path.read_text(encoding="utf-8") != render(model):
            differ.append(name)
    return missing, differ


_PROJECT_NAME = re.compile(r'^name\s*=\s*"communique"\s*$', re.MULTILINE)


def project_schemas(start: Path) -> Path | None:
    """The `schemas/` folder of the communique checkout that `start` is in (the nearest
    folder, from `start` up, whose pyproject.toml names the project communique), or None
    outside one."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        try:
            text = pyproject.read_text(encoding="utf-8")
        except OSError:
            continue
        if _PROJECT_NAME.search(text):
            return folder / "schemas"
    return None
