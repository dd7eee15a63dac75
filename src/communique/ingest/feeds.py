"""Briefing inputs from the web: RSS/Atom feeds (`--feed`) and lists of links (`--urls`).

Every link becomes one `inputs.Input` whose id is the page's canonical URL (fetch.
canonical_url) and whose path says where the link was listed ("feed.xml", "urls.txt:3").
Each distinct URL is fetched once; a link listed again (in the same or another feed)
becomes an Input with the same article, so the briefing lists it as a duplicate of the
first, or with the same failure. A feed or page that cannot be fetched or read, an entry
without a link and a page without enough article text each become a failed Input with
the reason: nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from ..clock import Clock
from ..errors import CommuniqueError, UsageError
from .article import Article
from .fetch import FetchOptions, canonical_url, fetch
from .inputs import Input, unique_ids
from .pages import page_article

WORKERS = 4  # pages fetched at once


@dataclass(frozen=True)
class Link:
    """A link to an article, as a feed or a list gave it."""

    url: str
    where: str  # the feed or list it was found in: "feed.xml", "urls.txt:3"
    title: str | None = None
    date: dt.date | None = None


Fetcher = Callable[[Link], tuple[Article | None, str | None]]


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_feed(
    source: str, options: FetchOptions, clock: Clock | None = None
) -> tuple[list[Link], list[Input]]:
    """The links of an RSS 0.9x/1.0/2.0 or Atom feed (a URL or a file), and the failed
    inputs: the feed itself when it cannot be read, entries without a link."""
    if is_url(source):
        try:
            page = fetch(source, options, clock)
        except CommuniqueError as exc:
            return [], [Input(canonical_url(source), source, error=f"feed: {exc.message}")]
        data, base = page.data, page.url
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"no such feed file: {path}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], [Input(path.name, source, error=f"cannot read: {exc.strerror or exc}")]
        base = ""
    parsed = feedparser.parse(data, response_headers={"content-location": base})
    if not parsed.entries and parsed.get("bozo"):
        problem = " ".join(str(parsed.get("bozo_exception", "")).split())
        ident = canonical_url(source) if is_url(source) else Path(source).name
        return [], [Input(ident, source, error=f"not an RSS or Atom feed: {problem}")]
    links: list[Link] = []
    failed: list[Input] = []
    for number, entry in enumerate(parsed.entries, start=1):
        url = str(entry.get("link") or "").strip()
        title = " ".join(str(entry.get("title") or "").split()) or None
        if not url:
            ident = str(entry.get("id") or title or f"{source}#{number}")
            failed.append(Input(ident, f"{source}#{number}", error="feed entry has no link"))
            continue
        links.append(Link(url, source, title, _entry_date(entry)))
    return links, failed


def read_url_list(source: str) -> list[Link]:
    """One URL a line; blank lines and lines starting with # are skipped."""
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such URL list: {path}")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read URL list {path}: {exc}") from exc
    return [
        Link(line.strip(), f"{source}:{number}")
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def collect_links(
    feeds: Sequence[str],
    url_lists: Sequence[str],
    *,
    today: dt.date,
    options: FetchOptions | None = None,
    clock: Clock | None = None,
    workers: int = WORKERS,
    on_fetched: Callable[[int, int], None] | None = None,
) -> list[Input]:
    """Inputs for every link of the feeds and URL lists, each distinct URL fetched once.

    today bounds the publication dates read from pages; on_fetched(done, total) is called
    after each page.
    """
    options = options or FetchOptions()
    links: list[Link] = []
    found: list[Input] = []
    for feed in feeds:
        got, failed = read_feed(feed, options, clock)
        links.extend(got)
        found.extend(failed)
    for listing in url_lists:
        links.extend(read_url_list(listing))

    def fetch_one(link: Link) -> tuple[Article | None, str | None]:
        ident = canonical_url(link.url)
        try:
            page = fetch(link.url, options, clock)
            article = page_article(
                page, id=ident, today=today, fallback_title=link.title, fallback_date=link.date
            )
        except CommuniqueError as exc:
            return None, exc.message
        except Exception as exc:  # an extractor bug on one odd page must not end the run
            return None, f"cannot extract the page: {type(exc).__name__}: {exc}"
        return article, None

    found.extend(fetch_links(links, fetch_one, workers=workers, on_fetched=on_fetched))
    return unique_ids(found)


def fetch_links(
    links: Sequence[Link],
    fetch_one: Fetcher,
    *,
    workers: int = WORKERS,
    on_fetched: Callable[[int, int], None] | None = None,
) -> list[Input]:
    """One Input per link; each canonical URL fetched once (at most `workers` at a time)."""
    first: dict[str, Link] = {}
    bad: list[Input] = []
    for link in links:
        if not is_url(link.url):
            bad.append(Input(link.url, link.where, error=f"not an http(s) URL: {link.url}"))
            continue
        first.setdefault(canonical_url(link.url), link)
    results: dict[str, tuple[Article | None, str | None]] = {}
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {key: pool.submit(fetch_one, link) for key, link in first.items()}
        for key, future in futures.items():
            results[key] = future.result()
            done += 1
            if on_fetched is not None:
                on_fetched(done, len(futures))
    out = list(bad)
    for link in links:
        if not is_url(link.url):
            continue
        key = canonical_url(link.url)
        article, error = results[key]
        if first[key] is not link and error is not None:
            error = f"same link as {first[key].where}, which failed: {error}"
        out.append(Input(key, link.where, article=article, error=error))
    return out


def _entry_date(entry: Any) -> dt.date | None:
    for field in ("published_parsed", "updated_parsed"):
        value = entry.get(field)
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None
