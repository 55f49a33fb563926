"""What `drainwatch run` prints: a live progress display and a summary table on a terminal,
the plain log lines and the one-line summary anywhere else."""

from __future__ import annotations

import errno
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][0-9A-B])")


def _command(topic_file: Path, tmp_path: Path) -> list[str]:
    db, outbox = tmp_path / "w.duckdb", tmp_path / "outbox"
    drainwatch = Path(sys.executable).parent / "drainwatch"
    return [str(drainwatch), "run", "--topic", str(topic_file), "--db", str(db), "--outbox", str(outbox)]


def _environ() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    # The session's Prefect test server: the command need not start a temporary one.
    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "COLUMNS": "120", "TERM": "xterm"}


def test_piped_output_is_the_plain_log_lines_and_the_summary_line(prefect_harness, topic_file, tmp_path):
    out = tmp_path / "out.txt"
    with out.open("w") as f:
        done = subprocess.run(
            _command(topic_file, tmp_path), stdout=f, stderr=subprocess.STDOUT, env=_environ(), timeout=300
        )
    text = out.read_text()
    assert done.returncode == 0, text
    assert "\x1b" not in text
    # 8 sources: 3 feeds, 3 news sitemaps, GDELT, one search; 19 URLs: the search's undecodable link too.
    assert re.search(r"^run \S+: complete · sources 8 ok, 0 failed · 19 URLs listed, 18 new articles", text, re.M)
    assert re.search(r"\| INFO +\| flows\.discover - source http://127\.0\.0\.1:\d+/\S+: \d+ items$", text, re.M)
    assert "18 of 18 pages done" in text and "sources asked" not in text


def test_on_a_terminal_a_progress_display_and_a_summary_table(prefect_harness, topic_file, tmp_path):
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        _command(topic_file, tmp_path), stdin=follower, stdout=follower, stderr=follower, env=_environ()
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=300) == 0
    raw = b"".join(chunks).decode("utf-8", "replace")
    screen = ANSI.sub("", raw)
    assert "\x1b[" in raw  # a live display redraws itself
    for label, counts in (
        ("sources asked", "8/8"),
        ("pages fetched", "18/18"),
        ("pages extracted", "18/18"),
        ("alerts sent", "1/1"),
    ):
        assert re.search(rf"{label}\s+━+\s+{counts}\b", screen), label
    assert "run summary" in screen
    assert re.search(r"│ new articles\s+│\s+18 │", screen) and re.search(r"│ status\s+│\s+complete │", screen)
    # Prefect's and the stages' INFO lines do not tear through the display.
    assert "| INFO" not in screen and "sources listed 18 URLs" not in screen
