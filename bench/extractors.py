"""Which extractor turns a news page into its article text: article.html_article
(BeautifulSoup, what HTML files get) or pages.extract (trafilatura, what --feed/--urls get)?

    python bench/extractors.py

For every invented story of tests/news_pages.py in every layout, it prints how many of the
article's sentences each extractor kept (recall) and which boilerplate strings it kept
(menus, cookie banners, related stories, newsletter promos, comments, footers). No timing;
no network.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from communique.ingest.article import html_article
from communique.ingest.pages import extract
from tests.news_pages import BOILERPLATE, LAYOUTS, STORIES, page

Extractor = Callable[[str], str]


def _bs4(html: str) -> str:
    return html_article(html.encode("utf-8"), id="page").text


def _trafilatura(html: str) -> str:
    doc = extract(html, url="http://example.test/story", today=dt.date(2025, 12, 31))
    return doc.text if doc is not None and doc.text else ""


EXTRACTORS: dict[str, Extractor] = {"html_article": _bs4, "trafilatura": _trafilatura}


def _sentences(paragraphs: tuple[str, ...]) -> list[str]:
    return [s for p in paragraphs for s in re.split(r"(?<=\.) ", p)]


def compare() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for layout in LAYOUTS:
        for story in STORIES:
            html = page(story, layout)
            wanted = _sentences(story.paragraphs)
            for name, run in EXTRACTORS.items():
                text = " ".join(run(html).split())
                kept = sum(1 for s in wanted if s in text)
                leaked = [b for b in BOILERPLATE if b in text]
                rows.append(
                    {
                        "layout": layout,
                        "story": story.title,
                        "extractor": name,
                        "kept": kept,
                        "of": len(wanted),
                        "leaked": leaked,
                    }
                )
    return rows


def main() -> None:
    rows = compare()
    print("| layout | extractor | article sentences kept | boilerplate kept |")
    print("|---|---|---|---|")
    for layout in LAYOUTS:
        for name in EXTRACTORS:
            mine = [r for r in rows if r["layout"] == layout and r["extractor"] == name]
            kept = sum(int(str(r["kept"])) for r in mine)
            of = sum(int(str(r["of"])) for r in mine)
            leaked = sorted({b for r in mine for b in r["leaked"]})  # type: ignore[attr-defined]
            shown = ", ".join(f'"{b}"' for b in leaked) or "none"
            print(f"| {layout} | {name} | {kept}/{of} | {shown} |")


if __name__ == "__main__":
    main()
