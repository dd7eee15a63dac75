"""`communique brief --feed/--urls`: feeds and links in, every link accounted for.

A loopback server (tests/page_server.py) serves the feeds and invented pages these tests
write; the model is faked as in the other brief CLI tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from communique import Article
from communique.briefing.brief import Briefing
from communique.cli import app as cli
from communique.errors import UsageError
from communique.ingest.feeds import Link, collect_links, fetch_links, read_feed, read_url_list
from communique.ingest.fetch import FetchOptions

from ..briefing.test_brief import ANSWERS, RENT_A, RENT_B, STEEL, ArticleModel, route_cli_brief
from ..briefing.test_brief_cli import SMALL
from ..news_pages import Story, page
from ..page_server import PageServer, Resource

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TODAY = dt.date(2025, 3, 28)
OPTIONS = FetchOptions(timeout_s=2, allow_private=True)  # the test site is on 127.0.0.1
# Sentences after the article's own, so the page is long enough to be an article; the
# fake model's answers cite sentences 1-4, which stay where they are.
MORE = (
    "Reporters of the paper followed the debate from the gallery of the chamber all day. "
    "The full text of the decision will be published in the official journal next week, "
    "together with the list of the members who voted for and against it. Our correspondents "
    "will report on the reactions in the regions in tomorrow's edition."
)


def story_page(article: Article) -> str:
    assert article.title and article.date and article.source
    story = Story(article.title, article.date.isoformat(), article.source, (article.text, MORE))
    return page(story)


def rss2(site: str, *links: str) -> str:
    items = "".join(
        f"<item><title>Story {n}</title><link>{site}{link}</link>"
        f"<pubDate>Thu, 27 Mar 2025 06:0{n}:00 GMT</pubDate></item>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Aldavia Times</title>'
        f"<link>{site}/</link><description>News</description>{items}</channel></rss>"
    )


def atom(site: str, *links: str) -> str:
    entries = "".join(
        f'<entry><title>Entry {n}</title><link href="{site}{link}"/><id>urn:e:{n}</id>'
        "<updated>2025-03-26T10:00:00Z</updated></entry>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Wire</title><id>urn:wire</id><updated>2025-03-26T10:00:00Z</updated>{entries}"
        "</feed>"
    )


def rss1(site: str, link: str) -> str:
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{site}/"><title>T</title><link>{site}/</link>'
        "<description>d</description></channel>"
        f'<item rdf:about="{site}{link}"><title>One</title><link>{site}{link}</link>'
        "<dc:date>2025-03-25</dc:date></item></rdf:RDF>"
    )


def rss091(site: str, link: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="0.91"><channel><title>T</title>'
        f"<link>{site}/</link><description>d</description><language>en</language>"
        f"<item><title>Old style</title><link>{site}{link}</link></item></channel></rss>"
    )


@pytest.mark.parametrize(
    ("fmt", "date"),
    [
        (lambda s: rss2(s, "/a"), dt.date(2025, 3, 27)),
        (lambda s: atom(s, "/a"), dt.date(2025, 3, 26)),
        (lambda s: rss1(s, "/a"), dt.date(2025, 3, 25)),
        (lambda s: rss091(s, "/a"), None),
    ],
    ids=["rss2", "atom", "rss1", "rss091"],
)
def test_every_feed_format_gives_its_links(tmp_path: Path, fmt: object, date: object) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(fmt("http://news.example"), encoding="utf-8")  # type: ignore[operator]
    links, failed = read_feed(str(feed), OPTIONS)
    assert failed == []
    assert [(link.url, link.where, link.date) for link in links] == [
        ("http://news.example/a", str(feed), date)
    ]


def test_a_feed_that_fails_or_has_an_entry_without_link_is_a_failed_input(
    tmp_path: Path,
) -> None:
    with PageServer({"/junk.xml": Resource("just some words", "text/plain")}) as site:
        _, dead = read_feed(site.url + "/missing.xml", OPTIONS)
        _, junk = read_feed(site.url + "/junk.xml", OPTIONS)
    assert [(f.id, f.error) for f in dead] == [
        (site.url + "/missing.xml", "feed: HTTP 404 Not Found")
    ]
    assert [f.id for f in junk] == [site.url + "/junk.xml"]
    assert (junk[0].error or "").startswith("not an RSS or Atom feed")
    nolink = tmp_path / "nolink.xml"
    entry = "<item><title>X</title></item></channel>"
    nolink.write_text(rss2("http://news.example", "/a").replace("</channel>", entry), "utf-8")
    links, failed = read_feed(str(nolink), OPTIONS)
    assert len(links) == 1
    assert [(f.id, f.path, f.error) for f in failed] == [
        ("X", f"{nolink}#2", "feed entry has no link")
    ]
    with pytest.raises(UsageError):
        read_feed(str(tmp_path / "absent.xml"), OPTIONS)


def test_url_lists_skip_blank_lines_and_comments(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# morning\nhttp://a.example/1\n\n  http://a.example/2  \n", "utf-8")
    assert read_url_list(str(listing)) == [
        Link("http://a.example/1", f"{listing}:2"),
        Link("http://a.example/2", f"{listing}:4"),
    ]


def test_each_url_is_fetched_once_and_every_link_is_an_input() -> None:
    asked: list[str] = []

    def fake(link: Link) -> tuple[Article | None, str | None]:
        asked.append(link.url)
        if link.url.endswith("/dead"):
            return None, "HTTP 404 Not Found"
        return Article(text=f"text of {link.url}", id=link.url), None

    links = [
        Link("http://n.example/a", "f1"),
        Link("http://n.example/dead", "f1"),
        Link("http://N.example/a?utm_source=f2#x", "f2"),
        Link("http://n.example/dead", "f2"),
        Link("mailto:desk@n.example", "f2"),
    ]
    found = fetch_links(links, fake, workers=2)
    assert sorted(asked) == ["http://n.example/a", "http://n.example/dead"]
    assert [(i.id, i.path, i.article is not None) for i in found] == [
        ("mailto:desk@n.example", "f2", False),
        ("http://n.example/a", "f1", True),
        ("http://n.example/dead", "f1", False),
        ("http://n.example/a", "f2", True),
        ("http://n.example/dead", "f2", False),
    ]
    assert [i.error for i in found if i.article is None] == [
        "not an http(s) URL: mailto:desk@n.example",
        "HTTP 404 Not Found",
        "same link as f1, which failed: HTTP 404 Not Found",
    ]


def pages() -> dict[str, Resource]:
    """Three stories (rent-b in Latin-1, said so by its header) and a paywall stub."""
    return {
        "/rent-a": Resource(story_page(RENT_A)),
        "/rent-b": Resource(story_page(RENT_B).encode("iso-8859-1"), "text/html; charset=latin-1"),
        "/steel": Resource(story_page(STEEL)),
        "/locked": Resource(
            "<html><body><article><h1>Locked</h1><p>Subscribe to read.</p></article></body></html>"
        ),
    }


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> ArticleModel:
    return route_cli_brief(monkeypatch, SMALL)


def test_brief_from_feeds_accounts_for_every_link(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    with PageServer(pages()) as site:
        for name in ("rent-a", "rent-b", "steel"):
            model.answers[f"{site.url}/{name}"] = ANSWERS[name]
        # feed.xml: three stories, a dead link, a paywall stub, and rent-a twice
        site.resources["/feed.xml"] = Resource(
            rss2(site.url, "/rent-a", "/rent-b", "/dead", "/locked", "/steel", "/rent-a"),
            "application/rss+xml",
        )
        # the wire's Atom feed links rent-a again, with a tracking parameter
        site.resources["/wire.atom"] = Resource(
            atom(site.url, "/rent-a?utm_source=wire"), "application/atom+xml"
        )
        out, md = tmp_path / "b.json", tmp_path / "b.md"
        code = cli.main(
            [
                *("brief", "--feed", f"{site.url}/feed.xml", "--feed", f"{site.url}/wire.atom"),
                *("--date", "2025-03-28", "-o", str(out), "--md", str(md), "--no-cache"),
                "--allow-private-urls",  # the test site is on 127.0.0.1
            ]
        )
    assert code == 1  # some links failed
    fetched = [p for p in site.paths() if not p.endswith((".xml", ".atom"))]
    assert sorted(fetched) == ["/dead", "/locked", "/rent-a", "/rent-b", "/steel"]
    b = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    rent_a, rent_b, steel = (f"{site.url}/{n}" for n in ("rent-a", "rent-b", "steel"))
    assert sorted(model.asked) == [rent_a, rent_b, steel]  # rent-a summarized once
    assert [(i.id, i.path, i.duplicate_of) for i in b.items] == [
        (rent_a, f"{site.url}/feed.xml", None),
        (f"{rent_a}~2", f"{site.url}/feed.xml", rent_a),
        (f"{rent_a}~3", f"{site.url}/wire.atom", rent_a),
        (rent_b, f"{site.url}/feed.xml", None),
        (steel, f"{site.url}/feed.xml", None),
    ]
    reasons = {f.id: f.reason for f in b.failures}
    assert sorted(reasons) == [f"{site.url}/dead", f"{site.url}/locked"]
    assert reasons[f"{site.url}/dead"] == "HTTP 404 Not Found"
    assert reasons[f"{site.url}/locked"].startswith("too short for an article")
    c = b.counts
    assert (c.inputs, c.summarized, c.duplicates, c.failed) == (7, 3, 2, 2)
    assert c.inputs == c.summarized + c.duplicates + c.failed
    first = b.items[0]
    assert (first.title, first.date, first.source) == (RENT_A.title, RENT_A.date, RENT_A.source)
    assert b.items[3].summary is not None  # rent-b: latin-1 page, decoded by its header
    assert b.items[3].title == RENT_B.title
    assert [s.article_ids for s in b.stories] == [[rent_a, rent_b], [steel]]
    status = json.loads(capsys.readouterr().out)
    assert (status["md"], status["failed"], status["duplicates"]) == (str(md), 2, 2)
    text = md.read_text(encoding="utf-8")
    assert f"]({rent_a})" in text and f"<{site.url}/dead>" in text


def test_urls_and_files_together(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "steel.txt").write_text(f"id: steel\n\n{STEEL.text}\n", encoding="utf-8")
    with PageServer({"/rent-a": Resource(story_page(RENT_A))}) as site:
        model.answers[f"{site.url}/rent-a"] = ANSWERS["rent-a"]
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url}/rent-a\n", encoding="utf-8")
        out = tmp_path / "b.json"
        code = cli.main(
            [
                *("brief", str(tmp_path / "steel.txt"), "--urls", str(listing)),
                *("--date", "2025-03-28", "-o", str(out), "--no-cache", "--allow-private-urls"),
            ]
        )
    assert code == 0
    b = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    assert [(i.id, i.path) for i in b.items] == [
        (f"{site.url}/rent-a", f"{listing}:1"),
        ("steel", str(tmp_path / "steel.txt")),
    ]
    assert "fetched 1/1 pages" in capsys.readouterr().err


def test_brief_needs_some_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["brief", "--date", "2025-03-28", "-o", str(tmp_path / "b.json")]) == 2
    assert "give INPUTS, --feed or --urls" in capsys.readouterr().err


def test_collect_links_reads_feeds_and_lists(tmp_path: Path) -> None:
    with PageServer({"/a": Resource(story_page(STEEL))}) as site:
        feed = tmp_path / "feed.xml"
        feed.write_text(rss2(site.url, "/a"), encoding="utf-8")
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url}/a\n{site.url}/b\n", encoding="utf-8")
        found = collect_links([str(feed)], [str(listing)], today=TODAY, options=OPTIONS)
    assert [(i.id, i.path, i.error) for i in found] == [
        (f"{site.url}/a", str(feed), None),
        (f"{site.url}/a~2", f"{listing}:1", None),
        (f"{site.url}/b", f"{listing}:2", "HTTP 404 Not Found"),
    ]
    assert found[0].article is not None and found[0].article.date == STEEL.date
