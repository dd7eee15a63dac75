"""`communique brief`: inputs, failures, exit codes, atomic output and the HTML page."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
from pathlib import Path

import httpx2
import pytest

from communique import Article
from communique.briefing.brief import Briefing
from communique.briefing.render import render_html, write_atomic
from communique.cli import app as cli
from communique.ingest.article import html_article
from communique.ingest.inputs import collect
from communique.settings import load_settings

from .test_brief import RENT_A, RENT_B, STEEL, ArticleModel, route_cli_brief, run

SMALL = load_settings({}, max_reasks=0, max_article_chars=2000)


def header(article: Article) -> str:
    assert article.date is not None
    return (
        f"title: {article.title}\ndate: {article.date.isoformat()}\n"
        f"source: {article.source}\n\n{article.text}\n"
    )


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> ArticleModel:
    """Route the CLI's brief() to a fake model (and small settings); never a real one."""
    return route_cli_brief(monkeypatch, SMALL)


def brief_cli(*args: str | Path) -> int:
    return cli.main(["brief", *map(str, args)])


def test_every_bad_input_ends_in_failures_and_the_exit_code_is_1(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    news = tmp_path / "news"
    (news / "deep").mkdir(parents=True)
    (news / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    (news / "deep" / "rent-b.md").write_text(header(RENT_B), encoding="utf-8")
    (news / "empty.txt").write_bytes(b"")
    (news / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (news / "latin1.txt").write_bytes("Le café est fermé.".encode("latin-1"))
    (news / "long.txt").write_text("word " * 600, encoding="utf-8")
    (news / "notes.json").write_text("{}", encoding="utf-8")  # not an article suffix
    (news / ".hidden.txt").write_text("skipped", encoding="utf-8")
    steel = tmp_path / "steel.txt"
    steel.write_text(header(STEEL), encoding="utf-8")
    model.answers["steel"] = httpx2.Response(500, json={"error": "boom"})
    out = tmp_path / "out" / "briefing.json"
    code = brief_cli(news, steel, "--date", "2025-03-28", "-o", out, "--no-cache")
    assert code == 1
    stdout, stderr = capsys.readouterr()
    status = json.loads(stdout)  # stdout: one short JSON status object, nothing else
    assert status["output"] == str(out) and status["failed"] == 5 and status["summarized"] == 2
    b = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    reasons = {f.id: f.reason for f in b.failures}
    assert sorted(reasons) == ["binary", "empty", "latin1", "long", "steel"]
    assert "NUL bytes" in reasons["binary"] and "empty" in reasons["empty"]
    assert "not valid UTF-8" in reasons["latin1"] and "limit is 2,000" in reasons["long"]
    assert "HTTP 500" in reasons["steel"]
    assert {f.path for f in b.failures} >= {str(steel), str(news / "empty.txt")}
    assert [i.id for i in b.items] == ["rent-a", "rent-b"]
    assert b.items[1].path == str(news / "deep" / "rent-b.md")
    assert b.counts.inputs == 7 and b.stories[0].article_ids == ["rent-a", "rent-b"]
    assert "failed: steel: model endpoint failed" in stderr and "Traceback" not in stderr
    # stderr is no terminal here: one progress line per article done, the last one all
    progress = [line for line in stderr.splitlines() if " articles; " in line]
    assert progress[-1] == "communique: 7/7 articles; done 2 · cached 0 · failed 5"
    assert len(progress) == len({line.split()[1] for line in progress}) <= 7


def test_all_summarized_is_exit_0_and_the_rerun_is_served_from_the_cache(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    args = (tmp_path / "rent-a.txt", "--date", "2025-03-28", "-o", tmp_path / "b.json")
    assert brief_cli(*args, "--cache-dir", tmp_path / "cache") == 0
    first_run = len(model.requests)  # the main call and the follow-up pass
    assert brief_cli(*args, "--cache-dir", tmp_path / "cache") == 0
    assert (
        first_run == 2
        and len(model.requests) == first_run
        and (tmp_path / "cache" / "summaries.sqlite3").exists()
    )
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (last["cached"], last["summarized"], last["stories"]) == (1, 1, 1)


def test_unreadable_file_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("text", encoding="utf-8")
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    [found] = collect([str(tmp_path)])
    assert found.article is None and found.error == "cannot read: Permission denied"


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.json"
    assert brief_cli(tmp_path / "missing", "--date", "2025-03-28", "-o", out) == 2
    assert brief_cli(tmp_path, "--date", "2025-03-28", "-o", out) == 2  # empty folder
    assert "no articles found" in capsys.readouterr().err
    for bad in (["--date", "yesterday"], ["--date", "2025-03-28", "--concurrency", "0"]):
        with pytest.raises(SystemExit) as info:
            brief_cli(tmp_path, *bad, "-o", out)
        assert info.value.code == 2
    assert not out.exists()


def test_jsonl_on_stdin(
    tmp_path: Path,
    model: ArticleModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [
        RENT_A.model_dump_json(),
        "not json",
        "",
        json.dumps({"id": "steel", "title": STEEL.title, "text": STEEL.text}),
        json.dumps({"id": "no-text", "title": "x"}),
    ]
    stdin = io.TextIOWrapper(io.BytesIO("\n".join(lines).encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "b.json"
    assert brief_cli("-", "--date", "2025-03-28", "-o", out, "--no-cache") == 1
    b = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    assert [(i.id, i.path) for i in b.items] == [("rent-a", "stdin:1"), ("steel", "stdin:4")]
    assert b.items[0].date == dt.date(2025, 3, 27) and b.items[0].source == "Aldavia Times"
    failures = {f.id: (f.path, f.reason) for f in b.failures}
    assert failures["stdin-2"][0] == "stdin:2" and "not a JSON object" in failures["stdin-2"][1]
    assert failures["no-text"] == ("stdin:5", "text: Field required")
    assert sorted(model.asked) == ["rent-a", "steel"]


def test_html_page_shows_stories_and_escapes_the_articles(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = RENT_B.model_copy(update={"title": "<script>alert('x')</script> & more"})
    (tmp_path / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    (tmp_path / "rent-b.txt").write_text(header(evil), encoding="utf-8")
    html_path = tmp_path / "b.html"
    args = (tmp_path, "--date", "2025-03-28", "-o", tmp_path / "b.json", "--no-cache")
    assert brief_cli(*args, "--html", html_path) == 0
    page = html_path.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&amp; more" in page
    assert page.index("Aldavia caps rent increases at 3%") < page.index('id="article-1"')
    assert "stance differs" in page and 'class="stance conditional"' in page
    assert "2025-04-01" in page and "Voss signs the law" in page
    assert 'href="#article-1-c' in page and 'id="article-1-c' in page  # evidence anchors
    assert "http" not in page.replace("http://fake.test/v1/", "")  # no external resources


def test_html_page_lists_duplicates_and_failures() -> None:
    copy = RENT_A.model_copy(update={"id": "rent-copy"})
    empty = Article(id="blank", text=" ")
    page = render_html(run([RENT_A, copy, empty], ArticleModel([])))
    assert 'Same text as <a href="#article-1">' in page
    assert '<h2 class="section-title">Failures</h2>' in page and "blank" in page


def test_atomic_write_leaves_the_old_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "briefing.json"
    target.write_text("old", encoding="utf-8")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.json"]


def test_interrupted_cli_run_writes_no_briefing(
    tmp_path: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    (tmp_path / "rent-b.txt").write_text(header(RENT_B), encoding="utf-8")
    model.answers["rent-b"] = KeyboardInterrupt()
    out = tmp_path / "out" / "b.json"
    args = (tmp_path, "--date", "2025-03-28", "-o", out, "--cache-dir", tmp_path / "c")
    assert brief_cli(*args) == 130
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
    assert "re-run to resume" in capsys.readouterr().err
    del model.answers["rent-b"]
    model.requests.clear()
    assert brief_cli(*args) == 0 and model.asked == ["rent-b"]


def test_html_input_is_reduced_to_its_article_text(tmp_path: Path) -> None:
    page = b"""<!doctype html><html><head><title>Site | Rent cap passes</title>
    <meta property="og:title" content="Rent cap passes">
    <meta property="article:published_time" content="2025-03-27T10:00:00Z">
    <meta property="og:site_name" content="Aldavia Times">
    <script>var tracking = 1;</script><style>p { color: red }</style></head>
    <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Rent cap passes</h1>
    <p>The <b>National Assembly</b> passed a law capping rents.</p>
    <ul><li>Minister Marko Lenz backed it.</li></ul>
    <blockquote><p>"It protects families," he said.</p></blockquote></article>
    <footer>Copyright</footer></body></html>"""
    article = html_article(page, id="rent")
    assert article.title == "Rent cap passes" and article.date == dt.date(2025, 3, 27)
    assert article.source == "Aldavia Times"
    assert article.text == (
        "The National Assembly passed a law capping rents.\n\n"
        "Minister Marko Lenz backed it.\n\n"
        '"It protects families," he said.'
    )
    (tmp_path / "rent.html").write_bytes(page)
    (tmp_path / "rent.html.bak").write_bytes(page)  # not an article suffix: ignored
    [found] = collect([str(tmp_path)])
    assert found.article is not None and found.article.title == "Rent cap passes"


def test_repeated_ids_are_made_unique(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text("Some text here.", encoding="utf-8")
    found = collect([str(tmp_path)])
    assert [(f.id, Path(f.path or "").parent.name) for f in found] == [
        ("same", "x"),
        ("same~2", "y"),
    ]
    assert found[1].article is not None and found[1].article.id == "same~2"
