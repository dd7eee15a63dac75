from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.cli import app as cli
from communique.models import Summary

from .fakes import FakeModel, answer, completion
from .pipeline.test_summary import SETTINGS


def test_schema_check_passes_on_the_committed_files(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[1]
    assert cli.main(["schema", "--check", "--dir", str(root / "schemas")]) == 0


def test_schema_check_fails_when_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "--dir", str(tmp_path)]) == 0
    (tmp_path / "summary.schema.json").write_text("{}", encoding="utf-8")
    assert cli.main(["schema", "--check", "--dir", str(tmp_path)]) == 1
    assert "differ from the models: summary.schema.json" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", 1, "article is empty"),
        (b"\x00\x01\x02binary", 1, "NUL bytes"),
        (b"caf\xe9 au lait", 1, "not valid UTF-8"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: int, message: str
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(content)
    assert cli.main(["summarize", str(f)]) == code
    out, err = capsys.readouterr()
    assert out == "" and message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["summarize", "/no/such/article.txt"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_setting_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMUNIQUE_BASE_URL", "http://localhost:8000/v1")
    monkeypatch.delenv("COMMUNIQUE_MODEL", raising=False)
    assert cli.main(["summarize", "-"]) == 2
    assert "set COMMUNIQUE_MODEL" in capsys.readouterr().err


def test_unknown_command_is_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2


def test_summarize_prints_only_json_on_stdout(
    seed_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeModel([completion(answer())])
    real = cli.summarize

    def with_fake(article: object, **kw: object) -> Summary:
        return real(article, client=fake.client(), settings=SETTINGS)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "summarize", with_fake)
    assert cli.main(["summarize", str(seed_path)]) == 0
    out, _ = capsys.readouterr()
    data = json.loads(out)
    assert Summary.model_validate(data).participants[0].name == "Emmanuel Macron"


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_endpoint_down_is_one_line_and_exit_1(
    seed_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMUNIQUE_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    monkeypatch.setenv("COMMUNIQUE_MODEL", "any-model")
    monkeypatch.setenv("COMMUNIQUE_TRANSPORT_RETRIES", "0")
    assert cli.main(["summarize", str(seed_path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "cannot connect to http://127.0.0.1:9/v1" in err
    *progress, error = err.strip().splitlines()  # the request's progress line, then the error
    assert error.startswith("communique: error: ") and "Traceback" not in err
    assert len(progress) == 1 and "[00_ap_macron_coalition] main call" in progress[0]


def test_missing_model_package_says_how_to_install(
    seed_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.llm import embedded

    for var in ("COMMUNIQUE_BASE_URL", "OPENAI_BASE_URL", "COMMUNIQUE_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(embedded, "_SERVER", None)
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: None)
    assert cli.main(["summarize", str(seed_path)]) == 1
    err = capsys.readouterr().err
    assert "pip install 'communique[local]'" in err and len(err.strip().splitlines()) == 1


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`communique rules | head -1`: the reader goes away before the listing is written."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", "from communique.cli import run; run()", "rules"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # closed while the interpreter starts: its first write breaks the pipe
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err
