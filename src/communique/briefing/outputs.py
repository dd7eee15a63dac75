"""Output files: checked before the model work, written all together, never half.

`check_outputs` runs before the first model call, so a path that cannot be written (a
read-only folder, a path that is a folder, a parent that is a file) is an error in the
first second, not after hours of summaries. `write_files` writes every file to a
temporary file beside it first and renames them only once all are written: a JSON is
never replaced while its HTML fails. New files get the mode the umask gives (as `touch`
would), a replaced file keeps its mode. Temporary files a killed run left behind
(`.NAME.PID.*.tmp`) are removed by the next run: at once when the process that made
them is gone, else once they are older than STALE_TEMP_S.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError, UsageError

STALE_TEMP_S = 600.0  # a temporary file this old is left over from a killed run


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _own_prefix(path: Path) -> str:
    """Temporary files carry the writer's process id, so a later run can tell a killed
    run's leftovers from a file another live run is writing."""
    return f"{_temp_prefix(path)}{os.getpid()}."


def _writer_gone(tmp: Path, path: Path) -> bool:
    pid = tmp.name[len(_temp_prefix(path)) :].split(".", 1)[0]
    if os.name != "posix" or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's)
    return False


def check_outputs(paths: Sequence[Path]) -> None:
    """Raise UsageError unless each path's folder exists (it is created) and takes files."""
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            raise UsageError(f"{path} is given twice as an output")
        seen.add(path.resolve())
        if path.is_dir():
            raise UsageError(f"the output {path} is a folder; give a file name")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"cannot create the folder of the output {path} ({_why(exc)})"
            ) from exc
        try:
            fd, probe = tempfile.mkstemp(dir=path.parent, prefix=_own_prefix(path), suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise UsageError(f"cannot write the output {path} ({_why(exc)})") from exc


def remove_stale_temps(path: Path, now: float, older_than: float = STALE_TEMP_S) -> list[Path]:
    """Remove the `.NAME.*.tmp` beside path whose writer is gone or that are older than
    `older_than` seconds at `now` (seconds since the epoch); return them."""
    removed = []
    try:
        found = list(path.parent.glob(f"{_temp_prefix(path)}*.tmp"))
    except OSError:
        return []
    for tmp in found:
        try:
            if _writer_gone(tmp, path) or now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def current_umask() -> int:
    """The process umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class WriteFailed(OSError):
    """write_files failed on `path`; `replaced` lists the files already renamed into place
    (empty unless a rename, which does not need new space, failed after another)."""

    def __init__(self, path: Path, replaced: list[Path], cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(path))
        self.path = path
        self.replaced = replaced


def write_files(files: Sequence[tuple[Path, str]], umask: int | None = None) -> None:
    """Write each (path, text) atomically, and all of them or none: every text goes to a
    temporary file first, and the renames happen only once all are written and synced.
    Raises WriteFailed (an OSError) naming the file that failed."""
    mask = current_umask() if umask is None else umask
    staged: list[tuple[str, Path]] = []
    replaced: list[Path] = []
    current = files[0][0] if files else Path()
    try:
        for current, text in files:
            current.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                dir=current.parent, prefix=_own_prefix(current), suffix=".tmp"
            )
            staged.append((tmp, current))
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fchmod(f.fileno(), _mode(current, mask))
                os.fsync(f.fileno())
        while staged:
            tmp, current = staged[0]
            os.replace(tmp, current)
            replaced.append(current)
            staged.pop(0)
    except OSError as exc:
        raise WriteFailed(current, replaced, exc) from exc
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _mode(path: Path, umask: int) -> int:
    """A replaced file keeps its mode; a new one gets 0666 minus the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~umask


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def write_briefing_files(
    files: Sequence[tuple[Path, str]], *, summaries: int, cache: Path | None
) -> None:
    """write_files for `communique brief`: a failure is one OutputError line that says
    which file failed and where the summaries are."""
    try:
        write_files(files)
    except WriteFailed as exc:
        changed = ", ".join(map(str, exc.replaced)) or "no output"
        kept = (
            f"the {summaries} summaries are in the cache {cache}: fix this and re-run the "
            "same command, which writes the briefing without asking the model again"
            if cache is not None
            else "nothing was cached (--no-cache)"
        )
        raise OutputError(
            f"cannot write {exc.path} ({exc.strerror}); {changed} was changed; {kept}"
        ) from exc
