"""A page's time budget for figure extraction.

Checked between units of work that are each bounded (a sentence is at most MAX_SENTENCE
characters and MAX_NUMBERS numbers), so an article over its budget stops within one such
unit of it, whatever the page holds (issue 15).
"""

from __future__ import annotations

import time

from core.errors import ExtractionBudgetExceeded


class Budget:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def check(self) -> None:
        """Raises ExtractionBudgetExceeded once the budget is spent."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ExtractionBudgetExceeded(self.seconds or 0.0)
