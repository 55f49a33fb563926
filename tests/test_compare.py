"""Comparison with the baseline, as ../shared/FIGURES.md defines it."""

from __future__ import annotations

import pytest

from warehouse.compare import compare


@pytest.mark.parametrize(
    "value, baseline, kind, nearest, change",
    [
        (100000, [100000, 70000], "same", 100000, 0.0),
        (101500, [100000, 70000], "same", 100000, 0.015),
        (103000, [100000, 70000], "higher", 100000, 0.03),
        (150000, [100000, 70000], "higher", 100000, 0.5),
        (60000, [100000, 70000], "lower", 70000, -1 / 7),
        (500000, [170000, 1000000], "higher", 170000, 330000 / 170000),
        (42, [], "new_metric", None, None),
    ],
)
def test_compare(value, baseline, kind, nearest, change):
    c = compare(value, baseline)
    assert c.kind == kind and c.baseline_value == nearest
    assert c.relative_change == (None if change is None else pytest.approx(change))
