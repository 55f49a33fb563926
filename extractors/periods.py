"""The period a figure refers to, when the sentence states one ("in 2022", "since the invasion")."""

from __future__ import annotations

import re

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PERIOD = re.compile(
    r"(?<!\w)(?:by\s+the\s+end\s+of|at\s+the\s+end\s+of|in|during|throughout|since|as\s+of|by)\s+"
    rf"(?:{_MONTH}\s+)?(?:19|20)\d\d(?!\d)"
    r"|(?:in|during)\s+the\s+first\s+(?:\w+\s+)?(?:days?|weeks?|months?|year)\s+of\s+the\s+(?:war|invasion|mobili[sz]ation)"
    r"|since\s+(?:the\s+(?:start\s+of\s+the\s+|beginning\s+of\s+the\s+)?(?:full-scale\s+)?(?:war|invasion)|February\s+(?:24,?\s+)?2022)"
    r"|(?<!\w)(?:last|this)\s+year"
    r"|(?:в|за)\s+(?:19|20)\d\d\s+год[уа]?|с\s+начала\s+(?:войны|вторжения|мобилизации|СВО|спецоперации)"
    r"|(?:im\s+Jahr|seit)\s+(?:19|20)\d\d|(?:en|depuis)\s+(?:19|20)\d\d",
    re.IGNORECASE,
)


def find_period(sentence: str) -> str | None:
    m = _PERIOD.search(sentence)
    return " ".join(m.group(0).split()) if m else None
