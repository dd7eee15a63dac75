"""Cassette tier: the real openai + instructor path, replaying recorded responses of the
embedded model (tests/cassettes/test_cassettes/*.yaml).

Re-record against the embedded model with:  pytest -m cassette --record-mode=rewrite
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import yaml
from vcr.errors import CannotOverwriteExistingCassetteException

from communique import Article, summarize
from communique.errors import EndpointError
from communique.llm import embedded
from communique.prompt import templates as prompt
from communique.settings import EMBEDDED_MODEL, load_settings
from communique.text.folding import fold_name, name_in_text

pytestmark = pytest.mark.cassette
CASSETTES = Path(__file__).with_name("cassettes")
SEED_CASSETTE = "test_seed_summary_from_the_embedded_model.yaml"
UNREACHABLE = "http://127.0.0.1:9/v1"  # nothing listens there: only replay can answer


@pytest.fixture
def replaying(request: pytest.FixtureRequest) -> bool:
    return str(request.config.getoption("--record-mode")) == "none"


@pytest.fixture
def embedded_endpoint(replaying: bool, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Recording talks to the real embedded model; replay to an address nobody serves."""
    if replaying:
        monkeypatch.setattr(embedded, "ensure_server", lambda settings: UNREACHABLE)
    yield
    if not replaying:
        embedded.shutdown()


def _settings() -> object:
    keep = {k: v for k, v in os.environ.items() if k == "COMMUNIQUE_CACHE_DIR"}
    return load_settings(keep)


@pytest.mark.vcr
def test_seed_summary_from_the_embedded_model(seed: Article, embedded_endpoint: None) -> None:
    original = httpx2.HTTPTransport.handle_request
    s = summarize(seed, settings=_settings())  # type: ignore[arg-type]
    assert httpx2.HTTPTransport.handle_request is original  # patch removed after the test
    assert s.meta.model == EMBEDDED_MODEL and s.meta.endpoint == "embedded"
    assert s.meta.attempts >= 1 and s.meta.prompt_tokens > 0 and s.meta.completion_tokens > 0
    # both calls came from the cassette: the main call and the follow-up pass (a follow-up
    # missing from the cassette would be kept as a note, not fail the summary)
    assert s.meta.calls == 2 and [d for d in s.meta.dropped if d.item == "followup"] == []
    quotes = [
        e for item in [s.proposal, *s.positions, *s.next_steps] if item for e in item.evidence
    ]
    assert quotes, "the model cited no evidence at all"
    for ev in quotes:
        assert seed.text[ev.start : ev.end] == ev.quote
    folded = fold_name(seed.text)
    names = [p.name for p in s.participants]
    assert names and all(name_in_text(n, folded) for n in names)
    assert "Boris Johnson" not in str(s.model_dump())
    assert {p.actor for p in s.positions} <= set(names)


@pytest.mark.vcr(SEED_CASSETTE)
@pytest.mark.allow_unplayed
def test_edited_prompt_fails_replay_with_a_rerecord_hint(
    seed: Article, embedded_endpoint: None, replaying: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not replaying:
        pytest.skip("only meaningful when replaying")
    real = prompt.load_template

    def edited(name: str, directory: Path | None = None) -> prompt.Template:
        t = real(name, directory)
        return prompt.Template(t.name, t.source + "\nBe brief.")

    monkeypatch.setattr("communique.prompt.messages.load_template", edited)
    with pytest.raises(EndpointError) as info:
        summarize(seed, settings=_settings())  # type: ignore[arg-type]
    chain = []
    cause: BaseException | None = info.value
    while cause is not None:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    vcr_errors = [c for c in chain if isinstance(c, CannotOverwriteExistingCassetteException)]
    assert vcr_errors, "the request was not intercepted by the cassette"
    assert "re-record with: pytest -m cassette --record-mode=rewrite" in str(vcr_errors[0])


def test_cassettes_hold_no_secrets_headers_or_machine_paths() -> None:
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert files, "no cassettes committed"
    for f in files:
        text = f.read_text(encoding="utf-8")
        for bad in (
            "authorization",
            "Bearer",
            "sk-",
            "set-cookie",
            "openai-organization",
            "openai-project",
            "x-request-id",
            "/root/",
            "/home/",
            "/tmp/",
        ):
            assert bad.lower() not in text.lower(), f"{f.name} contains {bad!r}"
        for interaction in yaml.safe_load(text)["interactions"]:
            assert interaction["request"]["body"]["json"]["model"] == EMBEDDED_MODEL, f.name
