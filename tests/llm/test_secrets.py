"""Secrets: an API key never appears in cassettes, recordings, reports, logs, error
messages, `meta`, briefings or the settings' repr."""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from communique import Article, CommuniqueError, summarize
from communique.briefing.brief import Briefing
from communique.cli import app as cli
from communique.evaluation.harness import EvalConfig, evaluate
from communique.llm.redaction import public_url, redact
from communique.settings import ENV_VARS, load_settings

from ..briefing.test_brief import ANSWERS, RENT_A, STEEL
from ..fakes import FakeClock, answer, completion

ROOT = Path(__file__).resolve().parents[2]
# Distinctive, so a hit can only be a leak; built here, never written to a committed file.
KEY = "sk-cq-" + "LEAKCHECK" + "7f3b9d1e5a2c4b6d8e0f"
URL = "http://fake.test/v1"

KEY_LIKE = [
    re.compile(r"\bsk-(?:proj-|ant-|live-|svcacct-)?[A-Za-z0-9_\-]{16,}"),  # OpenAI-style keys
    re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=\-]{8,}", re.IGNORECASE),
    re.compile(r"\bauthorization\b[\"']?\s*[:=]", re.IGNORECASE),  # a recorded header
    re.compile(r"\b(?:x-)?api[-_]?key\b[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9]", re.IGNORECASE),
    re.compile(r"\bopenai-(?:organization|project)\b", re.IGNORECASE),
    re.compile(r"\borg-[A-Za-z0-9]{20,}\b"),  # organization id
    re.compile(r"\bproj_[A-Za-z0-9]{20,}\b"),  # project id
    re.compile(r"\b(?:hf_[A-Za-z0-9]{30,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{35})\b"),
]
COMMITTED = ["tests/cassettes", "evals/recordings", "evals/reports"]


def key_like(text: str) -> list[str]:
    return [m.group(0) for pattern in KEY_LIKE for m in pattern.finditer(text)]


def committed_files() -> Iterator[Path]:
    for folder in COMMITTED:
        yield from (p for p in sorted((ROOT / folder).rglob("*")) if p.is_file())


# --- committed files -------------------------------------------------------------------------


def test_the_scanner_finds_planted_secrets() -> None:
    planted = [
        "sk-proj-abcdefghijklmnopqrstuvwx",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc",
        '{"authorization": "x"}',
        "api_key = Z123",
        "openai-organization: org-abc",
        "org-" + "A" * 24,
        "proj_" + "b" * 24,
        "hf_" + "c" * 34,
        KEY,
    ]
    for text in planted:
        assert key_like(text), text
    assert key_like("OPENAI_API_KEY=sk-... (see README)") == []  # a placeholder is fine
    assert key_like('api_key="not-needed"')  # even a placeholder in a recording is reported


def test_committed_cassettes_recordings_and_reports_hold_no_key_like_string() -> None:
    files = list(committed_files())
    assert len(files) >= 3 + 28, "the scan found fewer committed files than expected"
    hits = {
        str(p.relative_to(ROOT)): found
        for p in files
        if (found := key_like(p.read_text(encoding="utf-8", errors="replace")))
    }
    assert hits == {}


def test_cassettes_keep_no_request_headers() -> None:
    for path in (ROOT / "tests" / "cassettes").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "authorization" not in text.lower() and "cookie" not in text.lower(), path


# --- a configured key, end to end ------------------------------------------------------------


class Endpoint:
    """A fake OpenAI-compatible endpoint; records the Authorization header it receives and
    can fail with a 401 that echoes the key back (as some servers do)."""

    def __init__(self, *, reject: set[str] | None = None) -> None:
        self.reject = reject or set()
        self.auth: list[str] = []

    def reply(self, request: httpx2.Request) -> httpx2.Response:
        self.auth.append(request.headers.get("authorization", ""))
        body = json.loads(request.content)
        prompt = body["messages"][-1]["content"]
        found = re.search(r"Article id: (\S+)", prompt)
        ident = found.group(1) if found else ""
        if ident in self.reject or "*" in self.reject:
            sent = request.headers.get("authorization", "")
            message = f"Incorrect API key provided: {sent.removeprefix('Bearer ')}"
            return httpx2.Response(401, json={"error": {"message": message, "key": sent}})
        data = ANSWERS.get(ident) or answer()
        return httpx2.Response(200, json=completion(data))

    def transport(self, *args: Any, **kwargs: Any) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.reply)

    def async_transport(self, *args: Any, **kwargs: Any) -> httpx2.MockTransport:
        async def handle(request: httpx2.Request) -> httpx2.Response:
            return self.reply(request)

        return httpx2.MockTransport(handle)


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Endpoint:
    """Every client communique builds itself talks to the fake endpoint; the key is set in
    the environment the way a user would set it."""
    for variables in ENV_VARS.values():
        for var in variables:
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("COMMUNIQUE_BASE_URL", URL)
    monkeypatch.setenv("COMMUNIQUE_MODEL", "fake-model")
    monkeypatch.setenv("COMMUNIQUE_TRANSPORT_RETRIES", "0")
    monkeypatch.setenv("COMMUNIQUE_MAX_REASKS", "0")
    fake = Endpoint()
    monkeypatch.setattr(httpx2, "HTTPTransport", fake.transport)
    monkeypatch.setattr(httpx2, "AsyncHTTPTransport", fake.async_transport)
    return fake


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # every logger, every level: openai, httpx2, instructor
    return caplog


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY not in text
        assert KEY[6:] not in text  # nor the key without its prefix


def logged(caplog: pytest.LogCaptureFixture) -> str:
    lines = []
    for r in caplog.records:
        lines.append(r.getMessage())
        lines.append(repr(r.args))
        lines.append(repr(r.__dict__))
    return "\n".join(lines)


def error_texts(exc: CommuniqueError) -> list[str]:
    return [
        str(exc),
        repr(exc),
        repr(exc.args),
        exc.message,
        repr(exc.context),
        repr(exc.usage),
        repr(exc.article_id),
    ]


def test_settings_repr_masks_the_key_and_url_credentials() -> None:
    s = load_settings(
        {"COMMUNIQUE_API_KEY": KEY, "COMMUNIQUE_BASE_URL": "https://bob:pw-SECRET1@h/v1?key=Q9"},
        model="m",
    )
    assert s.api_key == KEY  # still there for the client
    for text in (repr(s), str(s), f"{s}", repr([s])):
        assert_no_key(text)
        assert "pw-SECRET1" not in text and "Q9" not in text
        assert "api_key='***'" in text and "bob:***@h" in text
    assert "api_key=None" in repr(load_settings({}))
    assert public_url("http://localhost:8000/v1") == "http://localhost:8000/v1"


def test_redact_leaves_placeholders_and_short_values() -> None:
    assert redact(f"bad key {KEY}!", KEY) == "bad key ***!"
    assert redact("key not-needed", "not-needed", None, "") == "key not-needed"


def test_summarize_sends_the_key_but_never_outputs_or_logs_it(
    endpoint: Endpoint, seed: Article, all_logs: pytest.LogCaptureFixture
) -> None:
    s = summarize(seed, clock=FakeClock())  # settings from the environment
    # the key was configured and used, by the main call and the follow-up pass
    assert endpoint.auth and set(endpoint.auth) == {f"Bearer {KEY}"}
    assert_no_key(s.model_dump_json(), repr(s), logged(all_logs))
    assert s.meta.endpoint == URL


def test_a_401_that_echoes_the_key_is_redacted(
    endpoint: Endpoint, seed: Article, all_logs: pytest.LogCaptureFixture
) -> None:
    endpoint.reject.add("*")
    with pytest.raises(CommuniqueError) as info:
        summarize(seed, clock=FakeClock())
    assert endpoint.auth == [f"Bearer {KEY}"]
    exc = info.value
    assert "HTTP 401 from http://fake.test/v1/chat/completions" in str(exc)
    assert "Incorrect API key provided: ***" in str(exc)
    assert_no_key(*error_texts(exc), logged(all_logs))


def test_the_cli_keeps_the_key_out_of_stdout_and_stderr(
    endpoint: Endpoint,
    seed_path: Path,
    capsys: pytest.CaptureFixture[str],
    all_logs: pytest.LogCaptureFixture,
) -> None:
    assert cli.main(["summarize", str(seed_path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["meta"]["endpoint"] == URL
    assert_no_key(out, err)
    endpoint.reject.add("*")
    assert cli.main(["summarize", str(seed_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "HTTP 401" in err and "***" in err
    assert_no_key(out, err, logged(all_logs))
    assert len(endpoint.auth) >= 2 and set(endpoint.auth) == {f"Bearer {KEY}"}


def test_briefing_json_html_cache_and_failures_hold_no_key(
    endpoint: Endpoint,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    all_logs: pytest.LogCaptureFixture,
) -> None:
    endpoint.reject.add("steel")
    news = tmp_path / "news"
    news.mkdir()
    for a in (RENT_A, STEEL):
        (news / f"{a.id}.txt").write_text(
            f"title: {a.title}\ndate: {a.date}\n\n{a.text}", encoding="utf-8"
        )
    out, html, cache = tmp_path / "b.json", tmp_path / "b.html", tmp_path / "cache"
    args = ["brief", str(news), "--date", "2025-03-28", "-o", str(out), "--html", str(html)]
    assert cli.main([*args, "--cache-dir", str(cache)]) == 1
    stdout, stderr = capsys.readouterr()
    b = Briefing.model_validate_json(out.read_text(encoding="utf-8"))
    assert [i.id for i in b.items] == ["rent-a"] and b.items[0].summary is not None
    [failure] = b.failures
    assert failure.id == "steel" and "Incorrect API key provided: ***" in failure.reason
    assert set(endpoint.auth) == {f"Bearer {KEY}"}
    cached = b"".join(p.read_bytes() for p in cache.iterdir())
    assert KEY.encode() not in cached and cached  # the cache was written
    assert_no_key(
        stdout,
        stderr,
        out.read_text(encoding="utf-8"),
        html.read_text(encoding="utf-8"),
        logged(all_logs),
    )


def test_eval_recordings_and_reports_hold_no_key(
    endpoint: Endpoint, tmp_path: Path, all_logs: pytest.LogCaptureFixture
) -> None:
    seeds = tmp_path / "seeds"
    for part, suffix in (("articles", ".txt"), ("labels", ".json")):
        (seeds / part).mkdir(parents=True)
        name = f"00_ap_macron_coalition{suffix}"
        shutil.copy(ROOT / "seeds" / part / name, seeds / part / name)
    config = EvalConfig(
        seeds=seeds,
        recordings=tmp_path / "recordings",
        report_dir=tmp_path / "report",
        thresholds=ROOT / "evals" / "thresholds.toml",
        record=True,
        settings=load_settings(),  # the key from the environment
        transport=endpoint.transport,
        clock=FakeClock(),
    )
    result = evaluate(config)
    assert len(endpoint.auth) >= 2 and set(endpoint.auth) == {f"Bearer {KEY}"}  # both variants
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "seeds" not in p.parts]
    assert len(written) == 5  # two recordings, report.json/.md/.html
    assert_no_key(*(p.read_text(encoding="utf-8") for p in written), logged(all_logs))
    assert_no_key(json.dumps(result.data, default=str))
    for p in written:
        assert key_like(p.read_text(encoding="utf-8")) == [], p


def test_with_your_own_client_the_key_is_masked_in_communique_errors(seed: Article) -> None:
    """A caller's client skips communique's transport; its errors are still redacted."""
    fake = Endpoint(reject={"*"})
    client = openai.OpenAI(
        base_url=URL,
        api_key=KEY,
        max_retries=0,
        http_client=httpx2.Client(transport=fake.transport()),
    )
    with pytest.raises(CommuniqueError) as info:
        summarize(seed, client=client, settings=load_settings({}, max_reasks=0))
    assert fake.auth == [f"Bearer {KEY}"]
    assert "Incorrect API key provided: ***" in str(info.value)
    assert_no_key(*error_texts(info.value))
