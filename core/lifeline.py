"""Child processes that end with the run that started them, however it ends.

A run killed with SIGKILL (by a user, a timeout, the OOM killer) runs no cleanup, and its
children would live on with no parent: the temporary Prefect server (about 200 MB and a
port) and the extraction workers. Each child therefore ties its own life to its parent's.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_EVERY_S = 0.5


def die_with_parent(parent: int) -> None:
    """Called first thing in a child: the kernel sends it SIGKILL when its parent ends (Linux).

    The signal follows the parent *thread* that started the child, so use this only for a
    child started from the main thread; elsewhere `watch_parent`."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        watch_parent(parent)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def watch_parent(parent: int) -> None:
    """A process pool's initializer: the worker leaves Ctrl-C to its parent (which cancels the
    run and shuts the pool down), and exits as soon as that parent is gone (a daemon thread
    compares the parent pid twice a second)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_EVERY_S)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


@contextlib.contextmanager
def keeping_signal_mask() -> Iterator[None]:
    """Around the creation of a process pool: multiprocessing unblocks SIGINT and SIGTERM in
    the thread that first starts its resource tracker, and a thread that blocked SIGINT
    (drainwatch/run_cmd.py) must keep it blocked for the workers it starts."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
