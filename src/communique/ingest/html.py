"""An HTML page reduced to its readable text (its <article> or <body>, without scripts,
navigation, headers, footers and forms), title, date and site name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

HTML_SUFFIXES = frozenset({".html", ".htm"})
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "td")


@dataclass(frozen=True)
class Page:
    """What is kept of an HTML page: its readable text and its metadata."""

    text: str
    title: str | None
    date: dt.date | None
    source: str | None


def reduce_html(html: str) -> Page:
    """The readable text of an HTML page (its <article> or <body>), title and date."""
    soup = BeautifulSoup(html, "html.parser")
    title = _meta(soup, "og:title") or _text(soup.title) or _text(soup.find("h1"))
    published = _meta(soup, "article:published_time") or _time(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    blocks = [b for b in root.find_all(_BLOCKS) if not b.find(_BLOCKS)]
    paragraphs = [_text(b) for b in blocks] if blocks else [_text(root)]
    body = "\n\n".join(p for p in paragraphs if p)
    return Page(
        text=body,
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
