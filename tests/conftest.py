from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hypothesis  # noqa: F401  (see below)
import pytest
import yaml

from communique.ingest.article import Article, read_article_file

# hypothesis is imported above, at collection, not by its pytest plugin at the end of
# the session: on CPython 3.11.7 that late import (the plugin's terminal summary) fails
# with "SystemError: AST constructor recursion depth mismatch" after test_brief.py's
# KeyboardInterrupt test, so `pytest tests/briefing/test_brief.py` crashed after passing.

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "articles" / "00_ap_macron_coalition.txt"
RERECORD = "re-record with: pytest -m cassette --record-mode=rewrite (see README)"

# Response headers worth keeping; everything else (dates, ids, cookies, org/project) goes.
KEEP_RESPONSE_HEADERS = {"content-type"}
SECRET_REQUEST_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "openai-organization",
    "openai-project",
]


@pytest.fixture
def seed() -> Article:
    return read_article_file(SEED)


def _canonical(body: Any) -> Any:
    if body is None or body == b"" or body == "":
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return body


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: request bodies equal as parsed JSON (key order/whitespace ignored)."""
    a, b = _canonical(r1.body), _canonical(r2.body)
    if a != b:
        raise AssertionError(
            "request body differs from the recorded one (prompt, schema or settings "
            f"changed?) — {RERECORD}"
        )


def _scrub_request(request: Any) -> Any:
    """Keep only API calls (not the embedded server's health checks); hide the port."""
    if request.path == "/health":
        return None
    request.uri = "http://embedded.local" + request.path
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        k: v for k, v in response["headers"].items() if k.lower() in KEEP_RESPONSE_HEADERS
    }
    return response


class ReadableJSONSerializer:
    """Store JSON request/response bodies as YAML structures a reviewer can read."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        for interaction in cassette["interactions"]:
            for part in ("request", "response"):
                body = interaction[part].get("body")
                raw = body.get("string") if isinstance(body, dict) else body
                parsed = _canonical(raw)
                if isinstance(parsed, (dict, list)):
                    interaction[part]["body"] = {"json": parsed}
        return str(yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True, width=100))

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        cassette: dict[str, Any] = yaml.safe_load(text)
        for interaction in cassette["interactions"]:
            for part in ("request", "response"):
                body = interaction[part].get("body")
                if isinstance(body, dict) and "json" in body:
                    raw = json.dumps(body["json"], ensure_ascii=False)
                    interaction[part]["body"] = {"string": raw} if part == "response" else raw
        return cassette


def pytest_recording_configure(config: Any, vcr: Any) -> None:
    vcr.register_matcher("json_body", json_body)
    vcr.register_serializer("yaml", ReadableJSONSerializer())  # readable JSON bodies


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "serializer": "yaml",
        "match_on": ["method", "path", "json_body"],
        "filter_headers": SECRET_REQUEST_HEADERS,
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


@pytest.fixture(autouse=True)
def _all_interactions_played(request: pytest.FixtureRequest) -> Any:
    """A replayed test must use every recorded interaction, or it fails."""
    node = request.node
    if node.get_closest_marker("vcr") is None or node.get_closest_marker("allow_unplayed"):
        yield
        return
    cassette = request.getfixturevalue("vcr")
    yield
    if request.config.getoption("--record-mode") == "none" and cassette is not None:
        unplayed = len(cassette.data) - cassette.play_count
        assert unplayed == 0, f"{unplayed} recorded interaction(s) were not replayed; {RERECORD}"


@pytest.fixture
def seed_path() -> Path:
    return SEED


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_unplayed: the test expects a replay mismatch")
