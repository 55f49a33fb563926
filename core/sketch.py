"""Near-duplicate detection: a bottom-k MinHash sketch of each article's word 4-shingles.

One hash per shingle keeps it cheap; the Jaccard similarity of two texts is estimated from
the k smallest hashes of their union. Two articles at or above SAME_STORY tell the same
story (wire copy on several outlets, a republished article under a new title).
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Sequence

K = 64
SAME_STORY = 0.5
_WORD = re.compile(r"\w+")


def sketch(text: str) -> list[int]:
    words = _WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + 4]) for i in range(max(1, len(words) - 3))}
    hashes = (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") for s in shingles)
    return sorted(heapq.nsmallest(K, hashes))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union_k = heapq.nsmallest(K, sa | sb)
    return sum(1 for h in union_k if h in sa and h in sb) / len(union_k)
