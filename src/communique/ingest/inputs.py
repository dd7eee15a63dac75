"""Briefing stage 1 — collecting inputs: files, directories, HTML pages and JSONL on stdin.

Every input becomes one `Input`: an Article, or the one-line reason it could not be read.
Nothing is skipped silently except, inside a directory, files whose suffix is not one of
SUFFIXES and hidden files or folders; a folder that cannot be listed is a failed input;
a path named on the command line that does not exist is a usage error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from ..errors import CommuniqueError, UsageError
from .article import Article, decode_article, html_article
from .html import HTML_SUFFIXES

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})


@dataclass(frozen=True)
class Input:
    """One input of a briefing: an article, or why it could not become one."""

    id: str
    path: str | None  # where it came from: a file path, or "stdin:LINE"
    article: Article | None = None
    error: str | None = None


def collect(paths: Sequence[str], stdin: IO[bytes] | None = None) -> list[Input]:
    """Inputs from files, directories (recursive) and "-" (JSONL on stdin), sorted by id."""
    found: list[Input] = []
    for raw in paths:
        if raw == "-":
            if stdin is None:
                raise UsageError("'-' given but there is no standard input")
            found.extend(read_jsonl(stdin))
            continue
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
        if not path.is_dir():
            found.append(read_file(path))
            continue
        unreadable: list[Input] = []
        files = sorted(_walk(path, unreadable))
        found.extend(unreadable)
        found.extend(read_file(f) for f in files)
    return unique_ids(found)


def _walk(root: Path, unreadable: list[Input]) -> Iterable[Path]:
    """Article files under root; a folder that cannot be listed becomes a failed Input
    (rglob would skip it silently, and the articles in it with it)."""

    def failed(exc: OSError) -> None:
        where = Path(exc.filename or root)
        reason = f"cannot read directory: {exc.strerror or exc}"
        unreadable.append(Input(id=where.name or str(where), path=str(where), error=reason))

    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_file() or not path.exists():  # gone since listed: read_file says so
                yield path


def read_file(path: Path) -> Input:
    """Read one file; HTML pages have their text extracted."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Input(id=path.stem, path=str(path), error=f"cannot read: {exc.strerror or exc}")
    try:
        if path.suffix.lower() in HTML_SUFFIXES:
            article = html_article(data, id=path.stem)
        else:
            article = decode_article(data, id=path.stem)
    except CommuniqueError as exc:
        return Input(id=path.stem, path=str(path), error=_one_line(exc.message))
    return Input(id=article.id or path.stem, path=str(path), article=article)


def read_jsonl(stream: IO[bytes]) -> list[Input]:
    """One article per line: {"id", "title", "date", "source", "text"}; blank lines skipped."""
    out: list[Input] = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = f"stdin:{number}"
        fallback = f"stdin-{number}"
        try:
            record = json.loads(line.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            out.append(Input(fallback, where, error=f"not valid UTF-8 (byte {exc.start})"))
            continue
        except ValueError as exc:
            out.append(Input(fallback, where, error=f"not a JSON object: {exc}"))
            continue
        if not isinstance(record, dict):
            out.append(Input(fallback, where, error="not a JSON object"))
            continue
        ident = str(record.get("id") or fallback)
        try:
            article = Article.model_validate({**record, "id": ident})
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            out.append(Input(ident, where, error=f"{field}: {first['msg']}"))
            continue
        out.append(Input(ident, where, article=article))
    return out


def unique_ids(inputs: Iterable[Input]) -> list[Input]:
    """Sort by (id, path); a repeated id gets a suffix: "a", "a~2", "a~3"."""
    out: list[Input] = []
    seen: set[str] = set()
    for item in sorted(inputs, key=lambda i: (i.id, i.path or "")):
        ident, n = item.id, 1
        while ident in seen:
            n += 1
            ident = f"{item.id}~{n}"
        seen.add(ident)
        if ident != item.id:
            article = item.article.model_copy(update={"id": ident}) if item.article else None
            item = Input(ident, item.path, article, item.error)
        out.append(item)
    return out


def _one_line(message: str) -> str:
    return " ".join(message.split())
