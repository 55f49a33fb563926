"""A run leaves no process behind however it ends (issue 14): SIGKILL in any stage, SIGTERM,
Ctrl-C; the next run marks the killed one aborted and ends equal to a clean run.

Each victim is a real `drainwatch run` with no PREFECT_API_URL, so it starts its own
temporary Prefect server and, for the sample site's batch of 18 pages, an extraction pool.
Every process it starts inherits a mark in its environment; after the kill, /proc must
hold no live process with that mark.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pytest

from drainwatch.sample_site import SampleSite

from .conftest import ROOT, SmtpSink, run_monitor

pytestmark = pytest.mark.usefixtures("prefect_harness")
MARK = "DRAINWATCH_TEST_VICTIM"
TABLES = ("articles", "figures", "rejected_numbers", "findings", "alerts", "alert_findings", "candidates")
DRAINWATCH = str(Path(sys.executable).parent / "drainwatch")


class HoldingSite(SampleSite):
    """The sample site, able to hold the first request that matches until released, so that
    a run can be stopped while it waits on that request."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self.hold_on: Callable[[str], bool] | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def respond(self, raw_path: str) -> tuple[int, str, str]:
        with self._lock:
            hold = self.hold_on is not None and self.hold_on(raw_path)
            if hold:
                self.hold_on = None
        if hold:
            self.held.set()
            self.release.wait(60)
        return super().respond(raw_path)

    def arm(self, predicate: Callable[[str], bool]) -> None:
        self.held.clear()
        self.release.clear()
        self.hold_on = predicate


class HoldingSmtp(SmtpSink):
    """A real SMTP server that keeps the first message's DATA unanswered until released, then
    refuses it (451): the run is stopped while it delivers, and the message was never accepted."""

    def __init__(self) -> None:
        super().__init__()
        self.held, self.release = threading.Event(), threading.Event()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                import asyncio

                if not sink.held.is_set():
                    sink.held.set()
                    while not sink.release.is_set():
                        await asyncio.sleep(0.05)
                    return "451 try again later"
                sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        from aiosmtpd.controller import Controller

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


@pytest.fixture(scope="module")
def site() -> Iterator[HoldingSite]:
    with HoldingSite() as s:
        yield s


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PREFECT_HOME for the victims' own servers: the first one creates its database."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture(scope="module")
def clean(site: HoldingSite, tmp_path_factory: pytest.TempPathFactory, prefect_harness) -> dict[str, object]:
    """What a run that nobody stops leaves: its rows and its email."""
    tmp = tmp_path_factory.mktemp("clean")
    topic = tmp / "topic.toml"
    topic.write_text(site.topic_toml())
    run_monitor(topic, tmp / "w.duckdb", tmp / "out")
    return {"rows": rows(tmp / "w.duckdb"), "emails": outbox_emails(tmp / "out")}


def rows(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        out: dict[str, object] = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}
        out["findings_detail"] = con.execute(
            "SELECT finding_id, comparison, value, speaker FROM findings ORDER BY finding_id"
        ).fetchall()
        out["alerted"] = con.execute("SELECT finding_id FROM alert_findings ORDER BY finding_id").fetchall()
        out["sent"] = con.execute("SELECT count(*) FROM alerts WHERE sent_at IS NULL").fetchall()[0][0] == 0
    return out


def email_key(msg: EmailMessage) -> tuple[str, str, str]:
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    return str(msg["Message-ID"]), str(msg["Subject"]), body.get_content()


def outbox_emails(folder: Path) -> list[tuple[str, str, str]]:
    return sorted(
        email_key(message_from_bytes(p.read_bytes(), policy=policy.default))  # type: ignore[arg-type]
        for p in folder.glob("*.eml")
        if not p.name.startswith("failure-")
    )


def marked(mark: str) -> list[str]:
    """Live processes whose environment carries the mark: the victim and all it started."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{MARK}={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Victim:
    def __init__(self, site: HoldingSite, tmp: Path, prefect_home: Path, smtp: SmtpSink | None = None) -> None:
        self.topic, self.db, self.out = tmp / "topic.toml", tmp / "w.duckdb", tmp / "out"
        self.topic.write_text(site.topic_toml())
        self.log = tmp / "victim.log"
        self.mark = uuid.uuid4().hex
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        env.update({MARK: self.mark, "PREFECT_HOME": str(prefect_home)})
        env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"  # a busy test machine
        if smtp is not None:
            env.update({"DRAINWATCH_SMTP_HOST": "127.0.0.1", "DRAINWATCH_SMTP_PORT": str(smtp.port)})
        self.env = env
        self.cmd = [DRAINWATCH, "run", "--topic", str(self.topic), "--db", str(self.db), "--outbox", str(self.out)]
        with self.log.open("wb") as log:
            # Its own session, as a shell gives a foreground job: Ctrl-C goes to this group.
            self.proc = subprocess.Popen(
                self.cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def alive_children(self) -> list[str]:
        return [c for c in marked(self.mark) if not c.startswith(DRAINWATCH)]

    def finish(self, timeout: float = 60) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()

    def assert_nothing_left(self) -> None:
        wait_for(lambda: not marked(self.mark), 10, f"the run's processes to end: {marked(self.mark)}")

    def rerun(self) -> subprocess.CompletedProcess[str]:
        from prefect.settings import PREFECT_API_URL

        env = {**self.env, "PREFECT_API_URL": PREFECT_API_URL.value()}  # the harness: quicker
        return subprocess.run(self.cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)

    def text(self) -> str:
        return self.log.read_text(errors="replace")


def pool_workers_running(v: Victim) -> bool:
    return any("multiprocessing" in c for c in v.alive_children())


def assert_rerun_equals_clean(
    v: Victim, clean: dict[str, object], emails: Callable[[], list[tuple[str, str, str]]]
) -> None:
    again = v.rerun()
    assert again.returncode == 0, again.stderr[-3000:]
    assert "marked 1 run(s) aborted" in again.stderr
    assert rows(v.db) == clean["rows"]
    assert emails() == clean["emails"]
    with duckdb.connect(str(v.db), read_only=True) as con:
        assert [r[0] for r in con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()] == [
            "aborted",
            "complete",
        ]


def kill_and_compare(
    v: Victim, site: HoldingSite, clean: dict[str, object], emails: Callable[[], list[tuple[str, str, str]]]
) -> None:
    os.kill(v.proc.pid, signal.SIGKILL)
    assert v.finish() == -signal.SIGKILL
    site.release.set()
    v.assert_nothing_left()
    assert_rerun_equals_clean(v, clean, emails)


def test_sigkill_while_extracting_leaves_no_process_and_the_rerun_equals_a_clean_run(
    site, clean, prefect_home, tmp_path
):
    v = Victim(site, tmp_path, prefect_home)
    wait_for(lambda: pool_workers_running(v) or v.proc.poll() is not None, 180, "the extraction pool")
    assert v.proc.poll() is None, v.text()[-3000:]
    assert any("uvicorn" in c for c in v.alive_children())  # its own Prefect server, pool workers beside it
    kill_and_compare(v, site, clean, lambda: outbox_emails(v.out))


def test_sigkill_while_the_alert_is_delivered_leaves_no_process_and_the_rerun_sends_it(
    site, clean, prefect_home, tmp_path
):
    smtp = HoldingSmtp().start()
    try:
        v = Victim(site, tmp_path, prefect_home, smtp)
        wait_for(lambda: smtp.held.is_set() or v.proc.poll() is not None, 180, "the SMTP DATA")
        assert v.proc.poll() is None, v.text()[-3000:]
        os.kill(v.proc.pid, signal.SIGKILL)
        assert v.finish() == -signal.SIGKILL
        smtp.release.set()
        v.assert_nothing_left()
        assert_rerun_equals_clean(v, clean, lambda: sorted(email_key(m) for m in smtp.messages))  # type: ignore[arg-type]
    finally:
        smtp.stop()


@pytest.mark.slow
@pytest.mark.parametrize(
    "stage, request_path",
    [
        ("discovery", lambda p: p.startswith("/gdelt/")),
        ("fetching", lambda p: p.endswith(".html") and p.count("/") == 3),
    ],
)
def test_sigkill_while_discovering_or_fetching_leaves_no_process(
    stage, request_path, site, clean, prefect_home, tmp_path
):
    site.arm(request_path)
    v = Victim(site, tmp_path, prefect_home)
    wait_for(lambda: site.held.is_set() or v.proc.poll() is not None, 180, f"a request while {stage}")
    assert v.proc.poll() is None, v.text()[-3000:]
    kill_and_compare(v, site, clean, lambda: outbox_emails(v.out))


def test_sigterm_stops_the_run_with_143_marks_it_aborted_and_leaves_no_process(site, prefect_home, tmp_path):
    site.arm(lambda p: p.endswith(".html") and p.count("/") == 3)
    v = Victim(site, tmp_path, prefect_home)
    try:
        wait_for(lambda: site.held.is_set() or v.proc.poll() is not None, 180, "a page request")
        assert v.proc.poll() is None, v.text()[-3000:]
        v.proc.send_signal(signal.SIGTERM)
        assert v.finish() == 143, v.text()[-5000:]
    finally:
        site.release.set()
    assert (
        v.text()
        .rstrip()
        .endswith("Error: run stopped by SIGTERM; what it stored is kept, the next run goes on from there")
    ), v.text()[-5000:]
    v.assert_nothing_left()
    with duckdb.connect(str(v.db), read_only=True) as con:
        assert con.execute("SELECT status, error FROM runs").fetchall() == [
            ("aborted", "stopped by a signal (Ctrl-C or SIGTERM)")
        ]


@pytest.mark.slow
def test_ctrl_c_while_extracting_exits_130_and_leaves_no_process(site, prefect_home, tmp_path):
    v = Victim(site, tmp_path, prefect_home)
    wait_for(lambda: pool_workers_running(v) or v.proc.poll() is not None, 180, "the extraction pool")
    assert v.proc.poll() is None, v.text()[-3000:]
    os.killpg(v.proc.pid, signal.SIGINT)  # what the terminal does: the run and its pool workers
    assert v.finish() == 130, v.text()[-3000:]
    assert (
        v.text()
        .rstrip()
        .endswith("Error: run stopped by SIGINT; what it stored is kept, the next run goes on from there")
    )
    v.assert_nothing_left()
    with duckdb.connect(str(v.db), read_only=True) as con:
        assert con.execute("SELECT status FROM runs").fetchall() == [("aborted",)]
