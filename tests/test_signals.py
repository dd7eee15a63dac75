"""SIGTERM stops `communique brief` like Ctrl-C: the resume hint, exit 143 (issue 21.6)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .briefing.test_brief import RENT_A
from .briefing.test_brief_cli import header
from .fault_server import FaultServer, schedule


def test_sigterm_prints_the_resume_hint_and_exits_143(tmp_path: Path) -> None:
    (tmp_path / "rent-a.txt").write_text(header(RENT_A), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMMUNIQUE_", "OPENAI_"))}
    with FaultServer(schedule(then="slow"), slow_s=60) as server:
        env.update(COMMUNIQUE_BASE_URL=server.url, COMMUNIQUE_MODEL="fake")
        args = [str(tmp_path / "rent-a.txt"), "--date", "2025-03-28", "-o"]
        args += [str(tmp_path / "b.json"), "--cache-dir", str(tmp_path / "c")]
        proc = subprocess.Popen(
            [sys.executable, "-c", "from communique.cli import run; run()", "brief", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(600):  # until the request is in flight (a wait, not an assertion)
            if server.log or proc.poll() is not None:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "re-run to resume" in err and "communique: terminated" in err
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "b.json").exists()
