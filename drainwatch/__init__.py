"""drainwatch: a scheduled monitor of published figures about tech-worker emigration."""

__version__ = "0.1.0"
