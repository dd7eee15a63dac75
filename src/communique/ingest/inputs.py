"""Briefing stage 1 — collecting inputs: files, directories, HTML pages and JSONL on stdin.

Every input becomes one `Input`: an Article, or the one-line reason it could not be read.
Nothing is skipped silently except, inside a directory, files whose suffix is not one of
SUFFIXES and hidden files or folders; a folder that cannot be listed is a failed input;
a path named on the command line that does not exist is a usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bs4 import BeautifulSoup, Tag
from pydantic import ValidationError

from ..errors import CommuniqueError, UsageError
from .article import Article, decode_article

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td")


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


def html_article(data: bytes, *, id: str) -> Article:
    """The readable text of an HTML page (its <article> or <body>), title and date."""
    shell = decode_article(data, id=id)  # the same NUL / UTF-8 / empty checks as text
    soup = BeautifulSoup(shell.text, "html.parser")
    title = _meta(soup, "og:title") or _text(soup.title) or _text(soup.find("h1"))
    published = _meta(soup, "article:published_time") or _time(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks = [b for b in root.find_all(_BLOCKS) if not b.find(_BLOCKS)]
    paragraphs = [_text(b) for b in blocks] if blocks else [_text(root)]
    body = "\n\n".join(p for p in paragraphs if p)
    return Article(
        text=body,
        id=id,
        title=title or None,
        date=_date(published),
        source=_meta(soup, "og:site_name") or None,
    )


def _text(node: object) -> str:
    return " ".join(node.get_text().split()) if isinstance(node, Tag) else ""


def _meta(soup: BeautifulSoup, prop: str) -> str:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    content = tag.get("content") if isinstance(tag, Tag) else None
    return " ".join(content.split()) if isinstance(content, str) else ""


def _time(soup: BeautifulSoup) -> str:
    tag = soup.find("time", attrs={"datetime": True})
    value = tag.get("datetime") if isinstance(tag, Tag) else None
    return value if isinstance(value, str) else ""


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


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
