"""Outputs are checked before the model work and written all together (issue 21, 2 and 6)."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from communique.briefing.outputs import check_outputs, remove_stale_temps, write_files

from .test_brief import RENT_A, RENT_B, ArticleModel
from .test_brief_cli import SMALL, brief_cli, header, route_cli_brief


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> ArticleModel:
    return route_cli_brief(monkeypatch, SMALL)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    (folder / "rent-b.txt").write_text(header(RENT_B), encoding="utf-8")
    return folder


def _run(news: Path, out: Path, *extra: str | Path) -> int:
    return brief_cli(
        news, "--date", "2025-03-28", "-o", out, "--cache-dir", news.parent / "c", *extra
    )


def test_an_output_that_is_a_folder_fails_before_any_model_call(
    tmp_path: Path, news: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out.json").mkdir()
    assert _run(news, tmp_path / "out.json") == 2
    assert model.requests == []
    err = capsys.readouterr().err
    assert "is a folder" in err and "Traceback" not in err


def test_a_parent_that_is_a_file_fails_before_any_model_call(
    tmp_path: Path, news: Path, model: ArticleModel, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert _run(news, tmp_path / "b.json", "--html", tmp_path / "file" / "b.html") == 2
    assert model.requests == [] and not (tmp_path / "b.json").exists()
    assert "cannot create the folder" in capsys.readouterr().err


def test_a_read_only_folder_fails_before_any_model_call(
    tmp_path: Path,
    news: Path,
    model: ArticleModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real = tempfile.mkstemp

    def deny(*args: Any, dir: Any = None, **kw: Any) -> tuple[int, str]:
        if dir is not None and Path(dir) == locked:  # tests run as root: chmod would not bite
            raise PermissionError(errno.EACCES, "Permission denied", str(dir))
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", deny)
    assert _run(news, locked / "b.json") == 2
    assert model.requests == []
    assert "cannot write the output" in capsys.readouterr().err


def test_same_path_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="twice"):
        check_outputs([tmp_path / "b.json", tmp_path / "b.json"])


def _full_disk_on(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """os.fsync fails as on a full disk from its nth call on (1-based)."""
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] >= nth:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_late_write_error_is_one_line_saying_where_the_summaries_are(
    tmp_path: Path,
    news: Path,
    model: ArticleModel,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "b.json"
    out.write_bytes(b"old briefing")
    _full_disk_on(monkeypatch, 1)
    assert _run(news, out) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in captured.err and captured.out == ""
    assert "No space left on device" in errors[0] and str(tmp_path / "c") in errors[0]
    assert out.read_bytes() == b"old briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "c", "news"]
    monkeypatch.undo()
    route_cli_brief(monkeypatch, SMALL)
    assert _run(news, out) == 0  # the re-run writes it from the cache
    assert json.loads(out.read_text(encoding="utf-8"))["counts"]["cached"] == 2


def test_html_failing_leaves_both_old_files(
    tmp_path: Path, news: Path, model: ArticleModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, page = tmp_path / "b.json", tmp_path / "b.html"
    out.write_bytes(b"old json")
    page.write_bytes(b"old html")
    _full_disk_on(monkeypatch, 2)  # the JSON is written, the HTML is not
    assert _run(news, out, "--html", page) == 1
    assert out.read_bytes() == b"old json" and page.read_bytes() == b"old html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.html", "b.json", "c", "news"]


def test_stale_temporary_files_are_removed_by_the_next_run(
    tmp_path: Path, news: Path, model: ArticleModel
) -> None:
    page = tmp_path / "b.html"
    killed = tmp_path / ".b.html.999999999.k1ll3d.tmp"  # its writer (no such pid) is gone
    writing = tmp_path / f".b.html.{os.getpid()}.writing.tmp"  # a live process's
    old = tmp_path / ".b.html.k1ll3d.tmp"  # no pid: removed when old enough
    fresh = tmp_path / ".b.html.fresh.tmp"
    other = tmp_path / ".notes.txt.999999999.x.tmp"  # not beside an output of this run
    for p in (killed, writing, old, fresh, other):
        p.write_text("<html>half", encoding="utf-8")
    hour_ago = old.stat().st_mtime - 3600
    os.utime(old, (hour_ago, hour_ago))
    assert _run(news, tmp_path / "b.json", "--html", page) == 0
    assert not killed.exists() and not old.exists() and page.exists()
    assert writing.exists() and fresh.exists() and other.exists()
    # older than STALE_TEMP_S: removed whoever wrote them
    assert sorted(remove_stale_temps(page, fresh.stat().st_mtime + 601)) == [writing, fresh]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    path = tmp_path / "b.json"
    write_files([(path, "{}")], umask=umask)
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_files([(path, "new")], umask=0o022)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "new"


def test_the_cli_follows_the_process_umask(tmp_path: Path, news: Path, model: ArticleModel) -> None:
    old = os.umask(0o022)
    try:
        assert _run(news, tmp_path / "b.json", "--html", tmp_path / "b.html") == 0
    finally:
        os.umask(old)
    for name in ("b.json", "b.html"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
