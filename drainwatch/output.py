"""Printing rows as a readable table, CSV or JSON lines."""

from __future__ import annotations

import base64
import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

FORMATS = ("table", "csv", "json")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.0f}" if v.is_integer() and abs(v) >= 1000 else f"{v:g}"
    return str(v)


def _text(v: Any) -> Any:
    """DuckDB's values that CSV and JSON have no type for, as text: dates and times in ISO
    8601, an INTERVAL as an ISO 8601 duration, a UUID in its usual form, a BLOB in base64."""
    if isinstance(v, (datetime, date, time)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, timedelta):
        return _duration(v)
    if isinstance(v, UUID):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(v)).decode("ascii")
    return v


def _duration(d: timedelta) -> str:
    sign, d = ("-", -d) if d < timedelta(0) else ("", d)
    hours, rest = divmod(d.seconds, 3600)
    seconds = rest % 60 + d.microseconds / 1e6
    return f"{sign}P{d.days}DT{hours}H{rest // 60}M{seconds:g}S"


def _json(v: Any) -> Any:
    """Strict JSON: NaN and infinities (which json.dumps would write as bare NaN and
    Infinity, invalid JSON) become null; lists and structs are converted inside."""
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, (list, tuple)):
        return [_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _json(x) for k, x in v.items()}
    as_text = _text(v)
    return v if as_text is v else _json(as_text)


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, max_width: int = 60) -> str:
    if fmt == "json":
        return "".join(
            json.dumps({c: _json(v) for c, v in zip(columns, r)}, ensure_ascii=False, allow_nan=False) + "\n"
            for r in rows
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        w.writerows([[("" if v is None else _text(v)) for v in r] for r in rows])
        return buf.getvalue()
    cells = [[_cell(v).replace("\n", " ") for v in r] for r in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in r] for r in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join([line, sep, *body]) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
