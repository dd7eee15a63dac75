"""Bad input, offline: every error is one line on stderr with the right exit code and
nothing on stdout, no model is started for input that cannot be summarized, and a
briefing never drops an article silently."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from communique import Article, summarize
from communique.briefing.brief import Briefing
from communique.cli import app as cli
from communique.errors import ArticleError, ConfigError, UsageError
from communique.ingest import inputs
from communique.ingest.article import decode_article, parse_article, read_article_file
from communique.llm import embedded
from communique.prompt.language import language_note
from communique.settings import ENV_VARS, load_settings

from .briefing.test_brief import RENT_A, RENT_B, ArticleModel, route_cli_brief
from .fakes import FakeClock, FakeModel, answer, completion

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
SMALL = load_settings({}, max_reasks=0, max_article_chars=2000)


@pytest.fixture(autouse=True)
def _no_model_and_clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting leaks in from the machine, and starting the embedded model fails the test."""
    for variables in ENV_VARS.values():
        for var in variables:
            monkeypatch.delenv(var, raising=False)

    def no_model(*args: object) -> str:
        raise AssertionError("the embedded model was started for input it cannot summarize")

    monkeypatch.setattr(embedded, "ensure_server", no_model)


def one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    """The run printed nothing on stdout and exactly one line on stderr containing needles."""
    out, err = capsys.readouterr()
    assert out == "", f"stdout must stay empty on error, got {out[:200]!r}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines}"
    assert lines[0].startswith("communique: error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def fake_summarize(monkeypatch: pytest.MonkeyPatch) -> FakeModel:
    """Route `communique summarize` to a scripted model (the reply is set by the test)."""
    fake = FakeModel([])
    real = cli.summarize

    def with_fake(article: Any, **kw: Any) -> Any:
        return real(article, client=fake.client(), settings=SMALL)

    monkeypatch.setattr(cli, "summarize", with_fake)
    return fake


@pytest.fixture
def brief_model(monkeypatch: pytest.MonkeyPatch) -> ArticleModel:
    """Route `communique brief` to a fake model that answers by article id."""
    return route_cli_brief(monkeypatch, SMALL)


def write_article(path: Path, article: Article) -> Path:
    assert article.date is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"title: {article.title}\ndate: {article.date}\n\n{article.text}\n", encoding="utf-8"
    )
    return path


def run_brief(*args: str | Path) -> int:
    return cli.main(["brief", *map(str, args), "--date", "2025-03-28", "--no-cache"])


def briefing_of(
    capsys: pytest.CaptureFixture[str], out: Path
) -> tuple[Briefing, dict[str, Any], str]:
    stdout, stderr = capsys.readouterr()
    status = json.loads(stdout)  # exactly one JSON object on stdout
    return Briefing.model_validate_json(out.read_text(encoding="utf-8")), status, stderr


# --- empty, whitespace, binary, invalid UTF-8 ------------------------------------------------

BAD_BYTES = {
    "empty": (b"", "article is empty"),
    "whitespace": (b"  \n\t \r\n \xc2\xa0\n", "article is empty"),
    "header-only": (b"title: A title\ndate: 2025-03-16\n\n   \n", "article is empty"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "NUL bytes"),
    "random-bytes": (bytes(range(128, 256)) * 4, "not valid UTF-8 (byte 0"),
    "latin-1": ("Le maire a proposé un référendum.".encode("latin-1"), "not valid UTF-8 (byte 17"),
    "utf-16": ("A plan was agreed.".encode("utf-16"), "NUL bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_summarize_rejects_unusable_files_in_one_line(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = BAD_BYTES[case]
    f = tmp_path / f"{case}.txt"
    f.write_bytes(data)
    assert cli.main(["summarize", str(f)]) == 1
    one_line_error(capsys, f"[{case}]", message)


@pytest.mark.parametrize("case", ["whitespace", "latin-1", "png"])
def test_summarize_from_stdin_rejects_the_same_way(
    case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, message = BAD_BYTES[case]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert cli.main(["summarize", "-"]) == 1
    one_line_error(capsys, "[stdin]", message)


def test_invalid_utf8_is_rejected_not_replaced() -> None:
    """Decision (README): invalid UTF-8 is an error naming the byte, never U+FFFD text that
    the model would then quote as evidence."""
    with pytest.raises(ArticleError, match=r"byte 3: b'\\xe9'.*iconv -f LATIN1 -t UTF-8") as info:
        decode_article(b"caf\xe9 au lait", id="cafe")
    assert str(info.value).startswith("[cafe] ") and "\n" not in str(info.value)
    assert decode_article("café".encode(), id="ok").text == "café"  # valid UTF-8 is fine
    assert decode_article(b"\xef\xbb\xbfBOM first.", id="bom").text == "BOM first."


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "title: x\n\n"])
def test_library_rejects_empty_text_before_any_model_call(text: str) -> None:
    fake = FakeModel([])
    with pytest.raises(ArticleError, match="empty"):
        summarize(text, client=fake.client(), settings=SMALL)
    if not text.startswith("title:"):  # an Article's text is the body as given
        with pytest.raises(ArticleError, match="empty"):
            summarize(Article(text=text), client=fake.client(), settings=SMALL)
    assert fake.requests == []


# --- 10 MB -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ten_mb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    f = tmp_path_factory.mktemp("big") / "huge.txt"
    sentence = "The council met on Monday and agreed a plan for the new bridge. "
    f.write_text(sentence * (10_000_000 // len(sentence)), encoding="utf-8")
    assert f.stat().st_size > 9_900_000
    return f


def test_ten_megabytes_fail_fast_naming_the_limit_without_a_model(
    ten_mb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["summarize", str(ten_mb)]) == 1  # the embedded model is not started
    line = one_line_error(capsys, "[huge]", "COMMUNIQUE_MAX_ARTICLE_CHARS")
    assert re.search(r"is 9,\d{3},\d{3} characters; the limit is 200,000", line), line


def test_ten_megabytes_never_reach_an_endpoint(
    ten_mb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMUNIQUE_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("COMMUNIQUE_MODEL", "m")
    monkeypatch.setenv("COMMUNIQUE_MAX_ARTICLE_CHARS", "50000")
    assert cli.main(["summarize", str(ten_mb)]) == 1
    one_line_error(capsys, "the limit is 50,000")
    fake = FakeModel([])
    with pytest.raises(ArticleError, match="the limit is 2,000"):
        summarize(ten_mb, client=fake.client(), settings=SMALL)
    assert fake.requests == []


def test_ten_megabytes_in_a_briefing_is_a_listed_failure(
    ten_mb: Path,
    tmp_path: Path,
    brief_model: ArticleModel,
    capsys: pytest.CaptureFixture[str],
) -> None:
    news = tmp_path / "news"
    write_article(news / "rent-a.txt", RENT_A)
    (news / "huge.txt").symlink_to(ten_mb)
    out = tmp_path / "b.json"
    assert run_brief(news, "-o", out) == 1
    b, status, stderr = briefing_of(capsys, out)
    assert [i.id for i in b.items] == ["rent-a"] and status["failed"] == 1
    [failure] = b.failures
    assert failure.id == "huge" and "limit is 2,000" in failure.reason
    assert brief_model.asked == ["rent-a"]
    assert "communique: failed: huge: article is 9," in stderr


# --- HTML, another language ------------------------------------------------------------------

PAGE = b"""<!doctype html><html><head><title>Bridge deal | Daily</title>
<meta property="article:published_time" content="2025-03-16T08:00:00Z">
<style>p { color: red }</style><script>var token = "do-not-send";</script></head>
<body><nav>Home | World | <a href="/x">Ignore me</a></nav><article><h1>Bridge deal</h1>
<p>The council agreed a plan for the new bridge on Monday.</p>
<p>Mayor Jane Doe said the vote would be held on Thursday.</p></article>
<footer>Copyright</footer></body></html>"""


def test_summarize_reads_an_html_page_as_its_text(
    tmp_path: Path, fake_summarize: FakeModel, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "bridge.html"
    page.write_bytes(PAGE)
    fake_summarize.replies.append(completion(answer(actors=[], next_steps=[])))
    assert cli.main(["summarize", str(page)]) == 0
    data = json.loads(capsys.readouterr().out)
    user = fake_summarize.requests[0]["messages"][1]["content"]
    assert "[1] The council agreed a plan for the new bridge on Monday." in user
    assert "[2] Mayor Jane Doe said" in user and "Date: 2025-03-16" in user
    for markup in ("<p>", "<script", "do-not-send", "color: red", "Copyright", "Home |"):
        assert markup not in user
    assert data["meta"]["article_id"] == "bridge"
    assert data["proposal"]["evidence"][0]["quote"].startswith("The council agreed")


def test_an_html_page_without_text_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "shell.htm"
    page.write_bytes(b"<html><head><script>app()</script></head><body><nav>x</nav></body></html>")
    assert cli.main(["summarize", str(page)]) == 1
    one_line_error(capsys, "[shell]", "article is empty")


GERMAN = (
    "title: Bundesregierung plant schnelleren Ausbau der Windkraft\ndate: 2025-05-12\n\n"
    "Die Bundesregierung hat am Montag einen Gesetzentwurf vorgelegt, der den Ausbau der "
    "Windkraft beschleunigen soll. Wirtschaftsminister Robert Habeck sagte in Berlin, das "
    "Gesetz solle vor der Sommerpause im Bundestag beraten werden. Die Union kritisierte den "
    "Entwurf als unzureichend. Der Bundesrat soll am 4. Juli abstimmen."
)


PROPOSAL = {"statement": "A bill to speed up wind power", "status": "proposed", "evidence": [1]}


def test_a_german_article_asks_for_english_output_and_quotes_stay_german() -> None:
    """What happens to German (README): the prompt asks for English output, the evidence is
    the German sentences copied by code; German capitalises nouns, so the name list offered
    to the model also holds nouns ("Gesetzentwurf"): the model can pick one as a participant."""
    article = parse_article(GERMAN, id="de")
    assert "The article is in German: write the headline" in language_note(article.text)
    reply = answer(
        headline="Government plans faster wind power expansion",
        proposal={
            "statement": "A bill to speed up wind power",
            "status": "proposed",
            "evidence": [1],
        },
        actors=[],
        next_steps=[],
    )
    fake = FakeModel([completion(reply)])
    s = summarize(article, client=fake.client(), settings=SMALL, clock=FakeClock())
    user = fake.requests[0]["messages"][1]["content"]
    assert "The article is in German: write the headline" in user
    assert "Robert Habeck" in user and "Gesetzentwurf" in user  # names and nouns alike
    assert s.proposal is not None
    ev = s.proposal.evidence[0]
    assert ev.quote.startswith("Die Bundesregierung hat am Montag")
    assert article.text[ev.start : ev.end] == ev.quote


# --- a briefing over a folder: vanished files, unreadable folders -----------------------------


def test_a_file_that_disappears_mid_run_is_a_listed_failure(
    tmp_path: Path,
    brief_model: ArticleModel,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    news = tmp_path / "news"
    write_article(news / "rent-a.txt", RENT_A)
    write_article(news / "rent-b.txt", RENT_B)
    gone = news / "gone.txt"
    gone.write_text("Deleted after the folder was listed.", encoding="utf-8")
    listed = inputs._walk

    def walk_then_delete(root: Path, unreadable: list[inputs.Input]) -> Iterator[Path]:
        yield from listed(root, unreadable)
        gone.unlink()  # listed, then deleted before it is read

    monkeypatch.setattr(inputs, "_walk", walk_then_delete)
    out = tmp_path / "b.json"
    assert run_brief(news, "-o", out) == 1
    b, status, stderr = briefing_of(capsys, out)
    assert [i.id for i in b.items] == ["rent-a", "rent-b"]  # nothing else lost
    assert all(i.summary is not None for i in b.items)
    [failure] = b.failures
    assert failure.id == "gone" and failure.path == str(gone)
    assert failure.reason == "cannot read: No such file or directory"
    assert (status["inputs"], status["summarized"], status["failed"]) == (3, 2, 1)
    assert "communique: failed: gone: cannot read" in stderr


def test_a_broken_link_in_a_folder_is_listed_not_skipped(
    tmp_path: Path, brief_model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    news = tmp_path / "news"
    write_article(news / "rent-a.txt", RENT_A)
    (news / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    out = tmp_path / "b.json"
    assert run_brief(news, "-o", out) == 1
    b, _, _ = briefing_of(capsys, out)
    assert [(f.id, f.reason) for f in b.failures] == [
        ("dangling", "cannot read: No such file or directory")
    ]


def _locked_folder(tmp_path: Path) -> tuple[Path, Path]:
    news = tmp_path / "news"
    write_article(news / "rent-a.txt", RENT_A)
    locked = news / "locked"
    write_article(locked / "rent-b.txt", RENT_B)
    return news, locked


def _check_locked_briefing(capsys: pytest.CaptureFixture[str], out: Path, locked: Path) -> None:
    b, status, stderr = briefing_of(capsys, out)
    assert [i.id for i in b.items] == ["rent-a"]
    [failure] = b.failures
    assert (failure.id, failure.path) == ("locked", str(locked))
    assert failure.reason == "cannot read directory: Permission denied"
    assert status["failed"] == 1 and "communique: failed: locked:" in stderr


@pytest.mark.skipif(ROOT_USER, reason="root reads every folder; see the simulated twin below")
def test_an_unreadable_folder_is_a_listed_failure(
    tmp_path: Path, brief_model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    news, locked = _locked_folder(tmp_path)
    locked.chmod(0)
    try:
        out = tmp_path / "b.json"
        assert run_brief(news, "-o", out) == 1
    finally:
        locked.chmod(0o755)
    _check_locked_briefing(capsys, out, locked)


def test_an_unreadable_folder_is_a_listed_failure_simulated(
    tmp_path: Path,
    brief_model: ArticleModel,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same as above for any user: listing the folder raises EACCES."""
    news, locked = _locked_folder(tmp_path)
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "b.json"
    assert run_brief(news, "-o", out) == 1
    _check_locked_briefing(capsys, out, locked)


@pytest.mark.skipif(ROOT_USER, reason="root reads every file; see the simulated twin below")
def test_an_unreadable_file_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write_article(tmp_path / "secret.txt", RENT_A)
    f.chmod(0)
    try:
        assert cli.main(["summarize", str(f)]) == 2
    finally:
        f.chmod(0o644)
    one_line_error(capsys, f"cannot read {f}: Permission denied")


def test_an_unreadable_file_is_one_line_exit_2_simulated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    f = write_article(tmp_path / "secret.txt", RENT_A)
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == f:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert cli.main(["summarize", str(f)]) == 2
    one_line_error(capsys, f"cannot read {f}: Permission denied")
    with pytest.raises(UsageError, match="Permission denied"):
        read_article_file(f)


# --- headers and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("date: yesterday", "header 'date: yesterday' is not an ISO date (YYYY-MM-DD)"),
        ("date: 16/03/2025", "header 'date: 16/03/2025' is not an ISO date"),
        ("date: 2025-02-30", "header 'date: 2025-02-30' is not an ISO date"),
        ("Date: 2025-3-16", "header 'date: 2025-3-16' is not an ISO date"),
    ],
)
def test_a_malformed_date_header_is_one_line(
    header: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.txt"
    f.write_text(f"title: A plan\n{header}\n\nThe council agreed a plan.", encoding="utf-8")
    assert cli.main(["summarize", str(f)]) == 1
    one_line_error(capsys, "[a]", message)


def test_odd_but_harmless_headers_are_read_leniently() -> None:
    a = parse_article("TITLE:\nDate:2025-03-16T09:30:00Z\nsource:   wire  \nBody starts here.")
    assert (a.title, a.date, a.source) == (None, dt.date(2025, 3, 16), "wire")
    assert a.text == "Body starts here."
    # a "title:" line after the body has started is body text, not a header
    b = parse_article("The plan.\ntitle: not a header")
    assert b.title is None and b.text == "The plan.\ntitle: not a header"


def test_a_malformed_header_in_a_briefing_is_a_listed_failure(
    tmp_path: Path, brief_model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    news = tmp_path / "news"
    write_article(news / "rent-a.txt", RENT_A)
    (news / "bad-date.txt").write_text("date: last week\n\nSome text.", encoding="utf-8")
    out = tmp_path / "b.json"
    assert run_brief(news, "-o", out) == 1
    b, _, _ = briefing_of(capsys, out)
    assert [(f.id, f.reason) for f in b.failures] == [
        ("bad-date", "header 'date: last week' is not an ISO date (YYYY-MM-DD)")
    ]
    assert [i.id for i in b.items] == ["rent-a"]


def test_a_future_date_is_kept_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """Decision (README): warn, do not reject; relative dates resolve from the given date."""
    article = Article(id="later", date=dt.date(2030, 1, 1), text=RENT_A.text)
    reply = answer(
        proposal={"statement": "A rent cap", "status": "adopted", "evidence": [1]},
        actors=[],
        next_steps=[{"action": "Voss signs", "actor": None, "when": "on April 1", "evidence": [4]}],
    )
    fake = FakeModel([completion(reply)])
    with caplog.at_level(logging.WARNING, logger="communique"):
        s = summarize(article, client=fake.client(), settings=SMALL, clock=FakeClock())
    [record] = [r for r in caplog.records if r.name == "communique"]
    assert record.getMessage() == (
        "[later] the article's date 2030-01-01 is in the future (today is 2025-03-16); "
        "next-step dates are resolved from it"
    )
    assert s.next_steps[0].when_iso == dt.date(2030, 4, 1)
    caplog.clear()
    today = Article(id="now", date=dt.date(2025, 3, 17), text=RENT_A.text)  # tomorrow: fine
    summarize(
        today, client=FakeModel([completion(reply)]).client(), settings=SMALL, clock=FakeClock()
    )
    assert not [r for r in caplog.records if r.name == "communique"]


def test_a_future_date_warns_in_one_stderr_line_and_stdout_stays_json(
    tmp_path: Path, fake_summarize: FakeModel, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "later.txt"
    f.write_text(f"date: 2999-01-01\n\n{RENT_A.text}", encoding="utf-8")
    fake_summarize.replies.append(completion(answer(actors=[], next_steps=[])))
    assert cli.main(["summarize", str(f)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["meta"]["article_id"] == "later"
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings == [warnings[0]] and warnings[0].startswith(
        "communique: warning: [later] the article's date 2999-01-01"
    )


# --- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("COMMUNIQUE_MAX_TOKENS", "abc", "COMMUNIQUE_MAX_TOKENS='abc' is not a valid int"),
        ("COMMUNIQUE_MAX_TOKENS", "1e3", "set it to a whole number such as 1400"),
        ("COMMUNIQUE_MAX_TOKENS", "-5", "max_tokens=-5 is out of range: it must be at least 1"),
        ("COMMUNIQUE_TIMEOUT", "soon", "COMMUNIQUE_TIMEOUT='soon' is not a valid float"),
        ("COMMUNIQUE_TIMEOUT", "nan", "timeout_s=nan is out of range"),
        ("COMMUNIQUE_TIMEOUT", "0", "fix COMMUNIQUE_TIMEOUT"),
        ("COMMUNIQUE_TEMPERATURE", "hot", "is not a valid float (temperature)"),
        ("COMMUNIQUE_MAX_ARTICLE_CHARS", "20k", "COMMUNIQUE_MAX_ARTICLE_CHARS='20k'"),
        ("COMMUNIQUE_TRANSPORT_RETRIES", "-1", "transport_retries=-1 is out of range"),
        ("COMMUNIQUE_MAX_REASKS", "many", "COMMUNIQUE_MAX_REASKS='many' is not a valid int"),
    ],
)
@pytest.mark.parametrize("command", ["summarize", "brief"])
def test_a_setting_of_the_wrong_type_is_one_actionable_line(
    var: str,
    value: str,
    message: str,
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = write_article(tmp_path / "a.txt", RENT_A)
    monkeypatch.setenv(var, value)
    args = [command, str(f)]
    if command == "brief":
        args += ["--date", "2025-03-28", "-o", str(tmp_path / "b.json")]
    assert cli.main(args) == 2
    one_line_error(capsys, message)
    assert not (tmp_path / "b.json").exists()


def test_wrong_types_through_the_library_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="max_tokens='many' must be a number"):
        load_settings({}, max_tokens="many")
    with pytest.raises(ConfigError, match="max_article_chars=0 is out of range"):
        load_settings({}, max_article_chars=0)
    assert load_settings({"COMMUNIQUE_MAX_TOKENS": " 99 "}).max_tokens == 99  # spaces are fine


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://models.example/v1", "must start with http:// or https://, not ftp://"),
        ("localhost:8080", "has no scheme: use http://localhost:8080 or https://localhost:8080"),
        ("127.0.0.1:8000/v1", "use http://127.0.0.1:8000/v1"),
        ("http://", "is not a valid URL: give http(s)://HOST[:PORT]/PATH"),
        ("https://exa mple.com/v1", "is not a valid URL"),
        ("file:///etc/passwd", "not file://"),
    ],
)
@pytest.mark.parametrize("how", ["env", "option"])
def test_an_endpoint_that_is_not_http_is_one_actionable_line(
    url: str,
    message: str,
    how: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = write_article(tmp_path / "a.txt", RENT_A)
    args = ["summarize", str(f), "--model", "m"]
    if how == "env":
        monkeypatch.setenv("COMMUNIQUE_BASE_URL", url)
    else:
        args += ["--base-url", url]
    assert cli.main(args) == 2
    one_line_error(capsys, message)


def test_good_endpoint_urls_are_accepted() -> None:
    for url in ("http://localhost:11434/v1", "https://api.example.com/v1", "http://[::1]:8000/v1"):
        assert load_settings({"COMMUNIQUE_BASE_URL": url, "COMMUNIQUE_MODEL": "m"}).base_url == url
