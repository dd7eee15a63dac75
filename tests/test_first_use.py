"""Issue 19, points 2-6: what a new user tripped on. Counts of the notes by kind, no
third-party log lines from the library, one wording and one id per failure, `communique
schema` outside a checkout, and the small ones (help text, iconv hint)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx2
import pytest

from communique import CommuniqueError, brief, summarize
from communique.cli import app as cli
from communique.errors import ArticleError, EndpointError
from communique.ingest.article import decode_article, parse_article
from communique.models import Dropped, NoteAction, Summary
from communique.notes import count_kinds, describe_counts
from communique.settings import load_settings

from .fakes import FakeModel, TwoPassModel, answer, completion
from .fault_server import valid_answer
from .pipeline.test_summary import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DEAD = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
TEXT = (
    "Minister Anna Kowal proposed a plan to build three bridges. Mayor Piet Janssen "
    "opposed the plan on Monday. The council will vote on the plan next week."
)


# -- 2. counts by kind -------------------------------------------------------------


def note(item: str, reason: str, action: NoteAction) -> Dropped:
    return Dropped(item=item, reason=reason, rule="test.rule", action=action)


def test_counts_by_kind() -> None:
    notes = [
        note("participants", "added 'Ukraine': named 9 times", "added"),
        note("next_steps[0].when", "…", "corrected"),
        note("positions[0].evidence", "…", "corrected"),
        note("actors[4]", "…", "dropped"),
    ]
    assert count_kinds(notes) == {"dropped": 1, "corrected": 2, "added": 1}
    assert describe_counts(notes) == "1 dropped, 2 corrected, 1 added"
    assert describe_counts(notes[1:3]) == "2 corrected"


def test_cli_reports_the_notes_by_kind_and_points_to_meta(
    seed_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeModel([completion(answer())])
    real = cli.summarize
    notes = [
        note("participants", "added 'Ukraine': named 9 times", "added"),
        note("next_steps[0].when", "'4th April' is not in the article; …", "corrected"),
        note("positions[0].evidence", "cited sentence(s) [13] do not state it", "corrected"),
        note("actors[4]", "'Boris' is not named in the article", "dropped"),
    ]

    def with_notes(article: object, **kw: object) -> Summary:
        done = real(article, client=fake.client(), settings=SETTINGS)  # type: ignore[arg-type]
        return done.model_copy(update={"meta": done.meta.model_copy(update={"dropped": notes})})

    monkeypatch.setattr(cli, "summarize", with_notes)
    assert cli.main(["summarize", str(seed_path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert "1 dropped, 2 corrected, 1 added" in err[-1] and "meta.dropped" in err[-1]


# -- 3. no third-party log lines from the library ----------------------------------

_DEAD_CALL = textwrap.dedent(
    f"""
    import logging, sys
    if sys.argv[1] == "configured":
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    from communique import CommuniqueError, load_settings, summarize
    settings = load_settings({{}}, base_url="{DEAD}", model="m", transport_retries=0)
    try:
        summarize({TEXT!r}, settings=settings)
    except CommuniqueError as exc:
        print(type(exc).__name__, exc.context["reason"])
    """
)


def _run_dead_call(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _DEAD_CALL, mode],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")},
    )


def test_library_prints_no_third_party_log_lines_by_default() -> None:
    """A fresh interpreter with no logging configured (pytest's own handlers would hide
    Python's last-resort handler in-process)."""
    done = _run_dead_call("default")
    assert done.stdout.split() == ["EndpointError", "connection"]
    assert done.stderr == ""


def test_library_leaves_the_users_logging_configuration_alone() -> None:
    done = _run_dead_call("configured")
    assert done.stdout.split() == ["EndpointError", "connection"]
    assert "instructor" in done.stderr  # the user's root handler still gets the records


# -- 4. one failure, one wording, one id -------------------------------------------


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_dead_endpoint_reads_the_same_in_summarize_and_brief() -> None:
    settings = load_settings({}, base_url=DEAD, model="m", transport_retries=0)
    article = parse_article(TEXT)
    with pytest.raises(EndpointError) as info:
        summarize(article, settings=settings)
    result = brief([article], date=dt.date(2025, 3, 16), settings=settings, cache=False)
    assert [f.id for f in result.failures] == [article.label]
    assert result.failures[0].reason == info.value.message
    url = f"{DEAD}/chat/completions"
    assert info.value.message.endswith(f"cannot connect to {url} (connection refused)")


def _schema(body: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = body["response_format"]["json_schema"]["schema"]
    return schema


def test_a_plain_text_has_one_id_in_its_summary_and_its_errors() -> None:
    label = parse_article(TEXT).label
    fake = TwoPassModel([], main=lambda body: valid_answer(_schema(body)))
    good = summarize(TEXT, client=fake.client(), settings=SETTINGS)
    assert good.meta.article_id == label
    with pytest.raises(CommuniqueError) as info:
        refused = httpx2.Response(400, json={"error": {"message": "bad request"}})
        summarize(TEXT, client=FakeModel([refused]).client(), settings=SETTINGS)
    assert info.value.article_id == label


# -- 5. communique schema outside a checkout ---------------------------------------


def test_schema_outside_a_checkout_writes_nothing_and_asks_for_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["schema"]) == 2
    assert cli.main(["schema", "--check"]) == 2
    assert list(tmp_path.iterdir()) == []
    assert "--dir" in capsys.readouterr().err


def test_schema_check_names_missing_and_differing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    assert cli.main(["schema", "--dir", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "briefing.schema.json",
        "label.schema.json",
        "summary.schema.json",
    ]
    (folder / "label.schema.json").unlink()
    (folder / "summary.schema.json").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["schema", "--check", "--dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "missing: label.schema.json;" in err
    assert "differ from the models: summary.schema.json;" in err


def test_schema_inside_a_checkout_finds_its_schemas_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT / "src" / "communique")  # a subfolder of the checkout
    assert cli.main(["schema", "--check"]) == 0
    assert str(ROOT / "schemas") in capsys.readouterr().err


# -- 6. the small ones -------------------------------------------------------------


def test_summarize_help_names_html(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["summarize", "--help"])
    assert ".html" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"caf\xe9 au lait", "LATIN1"),
        (b"\x93quoted\x94 caf\xe9 \x80 5", "WINDOWS-1252"),
    ],
)
def test_invalid_utf8_hint_gives_iconv_a_source_encoding(data: bytes, encoding: str) -> None:
    with pytest.raises(ArticleError) as info:
        decode_article(data, id="x")
    assert f"iconv -f {encoding} -t UTF-8" in info.value.message
