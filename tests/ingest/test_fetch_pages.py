"""Fetching a page (fetch.py) and reading its article (pages.py), against a loopback server."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from communique.errors import ArticleError, CommuniqueError
from communique.ingest.fetch import USER_AGENT, FetchError, FetchOptions, Page, canonical_url, fetch
from communique.ingest.pages import page_article

from ..fakes import FakeClock
from ..news_pages import BOILERPLATE, LAYOUTS, STORIES, page, paywall_stub
from ..page_server import PageServer, Resource

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])

TODAY = dt.date(2025, 3, 28)
QUICK = FetchOptions(timeout_s=0.5, max_bytes=50_000, allow_private=True)


def html_page(
    html: bytes | str, content_type: str = "text/html", charset: str | None = None
) -> Page:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return Page(url="http://127.0.0.1/story", content_type=content_type, charset=charset, data=data)


def test_fetch_sends_the_user_agent_and_follows_redirects() -> None:
    story = page(STORIES[0])
    resources = {"/old": Resource("", redirect="/story"), "/story": Resource(story)}
    with PageServer(resources) as site:
        got = fetch(site.url + "/old", QUICK)
    assert got.url == site.url + "/story" and got.data == story.encode("utf-8")
    assert (got.content_type, got.charset) == ("text/html", "utf-8")
    assert site.requests == [("/old", USER_AGENT), ("/story", USER_AGENT)]


@pytest.mark.parametrize(
    ("resource", "reason"),
    [
        (None, "HTTP 404 Not Found"),
        (Resource("gone", status=410), "HTTP 410 Gone"),
        (Resource("x" * 60_000), "page larger than 50,000 bytes (the size limit)"),
        (Resource("", hang=True), "timed out after 0.5 s"),
    ],
    ids=["404", "410", "too-large", "timeout"],
)
def test_fetch_failures_have_a_one_line_reason(resource: Resource | None, reason: str) -> None:
    resources = {"/p": resource} if resource else {}
    with PageServer(resources) as site, pytest.raises(FetchError) as caught:
        fetch(site.url + "/p", QUICK)
    assert caught.value.message == reason and isinstance(caught.value, CommuniqueError)


def test_a_body_without_content_length_is_cut_at_the_limit() -> None:
    """The limit holds when the server does not announce the size."""
    big = FetchOptions(timeout_s=0.5, max_bytes=10, allow_private=True)
    unannounced = Resource("y" * 11, announce_length=False)
    with PageServer({"/p": unannounced}) as site, pytest.raises(FetchError) as caught:
        fetch(site.url + "/p", big)
    assert "larger than 10 bytes" in caught.value.message


def test_a_page_that_takes_too_long_to_arrive_is_cut_off() -> None:
    """The deadline covers the whole body (each read has the timeout); time is faked."""
    slow = FetchOptions(timeout_s=0.5, deadline_s=1.0, max_bytes=10**6, allow_private=True)
    clock = FakeClock()  # half a second passes whenever the code looks
    with PageServer({"/p": Resource("z" * 300_000)}) as site, pytest.raises(FetchError) as caught:
        fetch(site.url + "/p", slow, clock)
    assert caught.value.message == "page not received within 1 s"


def test_connection_refused_and_bad_schemes() -> None:
    with socket.socket() as s:  # a port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as refused:
        fetch(f"http://127.0.0.1:{port}/p", QUICK)
    assert refused.value.message.startswith("cannot connect:")
    with pytest.raises(FetchError) as scheme:
        fetch("file:///etc/passwd", QUICK)
    assert scheme.value.message == "not an http(s) URL: file:///etc/passwd"


def test_private_and_local_addresses_are_refused_unless_allowed() -> None:
    strict = FetchOptions(timeout_s=0.5)
    with PageServer({"/p": Resource(page(STORIES[0]))}) as site:
        for url in (site.url + "/p", "http://10.1.2.3/", "http://169.254.169.254/latest"):
            with pytest.raises(FetchError) as caught:
                fetch(url, strict)
            assert caught.value.message.startswith("refused: ")
        assert site.requests == []  # refused before connecting


def test_a_redirect_target_gets_the_same_checks() -> None:
    resources = {"/r": Resource("", redirect="ftp://127.0.0.1/secret")}  # urllib follows ftp
    with PageServer(resources) as site, pytest.raises(FetchError) as caught:
        fetch(site.url + "/r", QUICK)
    assert caught.value.message == "not an http(s) URL: ftp://127.0.0.1/secret"


def test_canonical_url_drops_fragments_tracking_and_default_ports() -> None:
    assert canonical_url("HTTP://News.Example:80/a?utm_source=x&id=3#top") == (
        "http://news.example/a?id=3"
    )
    assert canonical_url("https://news.example:8443/a?fbclid=1") == "https://news.example:8443/a"
    assert canonical_url("https://news.example") == "https://news.example/"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_article_is_kept_and_the_boilerplate_dropped(layout: str) -> None:
    story = STORIES[1]
    article = page_article(html_page(page(story, layout)), id="steel", today=TODAY)
    paragraphs = article.text.split("\n\n")
    # the one leak (bench/README.md): an "Advertisement" label between two paragraphs
    assert [p for p in paragraphs if p != "Advertisement"] == list(story.paragraphs)
    assert [b for b in BOILERPLATE if b in article.text] == (
        ["Advertisement"] if layout == "inline_promos" else []
    )
    assert (article.id, article.title, article.date) == ("steel", story.title, dt.date(2025, 3, 24))
    assert article.source == story.site


def test_charsets_header_then_meta_then_utf8_then_windows_1252() -> None:
    story = STORIES[0]
    accented = story.__class__(
        story.title, story.date, story.site, ("Le café de la Mairie a fermé. " * 20,)
    )
    latin = page(accented, charset="iso-8859-1").encode("iso-8859-1")
    by_header = page_article(html_page(latin, charset="iso-8859-1"), id="a", today=TODAY)
    by_meta = page_article(html_page(latin), id="a", today=TODAY)
    undeclared = page(accented, charset="").replace('<meta charset="">', "").encode("cp1252")
    by_default = page_article(html_page(undeclared), id="a", today=TODAY)
    assert {by_header.text, by_meta.text, by_default.text} == {accented.paragraphs[0].strip()}


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (paywall_stub("Cabinet meets"), "text/html", "too short for an article"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html", "too short"),
        ("<html><body></body></html>", "text/html", "no article text found on the page"),
        (b"%PDF-1.7", "application/pdf", "not an HTML page (application/pdf)"),
    ],
    ids=["paywall", "menu-only", "empty", "pdf"],
)
def test_pages_that_are_not_articles_fail_with_the_reason(
    data: str | bytes, content_type: str, reason: str
) -> None:
    with pytest.raises(ArticleError) as caught:
        page_article(html_page(data, content_type), id="x", today=TODAY)
    assert caught.value.message.startswith(reason)


def test_a_feed_entry_fills_the_title_and_date_a_page_lacks() -> None:
    body = "".join(f"<p>{p}</p>" for p in STORIES[2].paragraphs)
    bare = html_page(f"<html><body><div>{body}</div></body></html>")
    article = page_article(
        bare, id="x", today=TODAY, fallback_title="From the feed", fallback_date=dt.date(2025, 3, 2)
    )
    assert (article.title, article.date) == ("From the feed", dt.date(2025, 3, 2))
