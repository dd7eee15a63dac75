"""A `communique` process whose embedded server is the fake (tests/fake_shared_server.py).

`python shared_client.py CACHE_DIR IDLE_S TEXT` summarizes TEXT on the embedded default
and prints {"pid": the server's pid, "url": its base URL, "headline": ...} on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from communique import summarize
from communique.llm import embedded
from communique.settings import Settings, load_settings

FAKE = str(Path(__file__).with_name("fake_shared_server.py"))


def fake_command(model: Path, port: int, settings: Settings) -> list[str]:
    real = REAL_COMMAND(model, port, settings)
    assert real[1:3] == ["-m", "communique.llm.embedded_server"]
    return [sys.executable, FAKE, *real[3:]]


REAL_COMMAND = embedded.server_command


def main() -> None:
    cache, idle, text = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    embedded.runtime_installed = lambda: True
    embedded.model_file = lambda cache_dir, spec=embedded.QWEN_1_5B: cache / "m.gguf"
    embedded.server_command = fake_command
    settings = load_settings({}, cache_dir=cache, server_idle_s=idle)
    summary = summarize(text, settings=settings)
    info = embedded._IN_USE[cache]
    print(json.dumps({"pid": info.pid, "url": info.base_url, "headline": summary.headline}))


if __name__ == "__main__":
    main()
