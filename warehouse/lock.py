"""One run at a time per warehouse: an exclusive lock file beside the DuckDB file.

DuckDB itself refuses a second writer only at the moment both open the file; a run opens
and closes it many times, so two overlapping runs would interleave. The lock is held for a
whole run and released by the OS if the process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from core.errors import WarehouseError


class RunInProgress(WarehouseError):
    """Another run holds the warehouse; not a failure of this one."""


def lock_path(db_path: Path) -> Path:
    """Beside the real file: a symlink or another spelling of the path takes the same lock."""
    return Path(str(Path(db_path).resolve()) + ".lock")


@contextlib.contextmanager
def run_lock(db_path: Path) -> Iterator[None]:
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(str(path), f"cannot create the run lock ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown process"
            raise RunInProgress(
                str(db_path), f"another drainwatch run is in progress ({holder}); not starting a second one"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
