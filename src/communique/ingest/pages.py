"""A fetched web page -> an Article: its main text, title, date and site, via trafilatura.

trafilatura keeps the article and drops menus, share buttons, related-story lists,
newsletter promos and reader comments (bench/README.md, "Extracting web pages", compares it
with article.html_article on pages with that boilerplate). A page with too little text
(a paywall stub, an index or error page) raises ArticleError with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import trafilatura

from ..errors import ArticleError
from .article import Article
from .fetch import Page, decode_html

MIN_CHARS = 400  # shorter main text: a paywall stub, a teaser or not an article
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# trafilatura logs every page it finds too small at ERROR/WARNING; the failure is reported
# by the caller, once, with its reason.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def page_article(
    page: Page,
    *,
    id: str,
    today: dt.date,
    min_chars: int = MIN_CHARS,
    fallback_title: str | None = None,
    fallback_date: dt.date | None = None,
) -> Article:
    """The article of a page; ArticleError when it is not an HTML article page.

    today bounds the dates htmldate accepts (a page cannot be published later);
    fallback_title / fallback_date (from a feed entry) fill what the page lacks.
    """
    if page.content_type not in HTML_TYPES:
        raise ArticleError(f"not an HTML page ({page.content_type})", article_id=id)
    html = decode_html(page.data, page.charset)
    doc = extract(html, url=page.url, today=today)
    text = (doc.text if doc is not None else None) or ""
    title = (doc.title if doc is not None else None) or fallback_title
    text = _without_title(text, title)
    if not text:
        raise ArticleError("no article text found on the page", article_id=id)
    if len(text) < min_chars:
        raise ArticleError(
            f"too short for an article ({len(text)} characters of text; minimum {min_chars}): "
            "a paywall, a teaser or not an article page",
            article_id=id,
        )
    published = _date(doc.date if doc is not None else None) or fallback_date
    site = doc.sitename if doc is not None else None
    return Article(text=text, id=id, title=title or None, date=published, source=site or None)


# trafilatura's settings: the main text and its metadata, nothing around it
OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "include_images": False,
    "favor_precision": True,
}
DATE_OPTIONS = {
    "extensive_search": False,  # no guessing from dates in the text
    "original_date": True,  # published, not updated
}


def extract(html: str, *, url: str | None, today: dt.date) -> trafilatura.settings.Document | None:
    """trafilatura's main text and metadata; paragraphs separated by blank lines."""
    dates = {**DATE_OPTIONS, "max_date": today.isoformat()}
    doc = trafilatura.bare_extraction(html, url=url, date_extraction_params=dates, **OPTIONS)
    if not isinstance(doc, trafilatura.settings.Document):
        return None
    lines = [" ".join(line.split()) for line in (doc.text or "").split("\n")]
    doc.text = "\n\n".join(line for line in lines if line)
    return doc


def _without_title(text: str, title: str | None) -> str:
    """trafilatura keeps the page's <h1> as the first line; the title is a field of its own."""
    first, _, rest = text.partition("\n\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return text


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
