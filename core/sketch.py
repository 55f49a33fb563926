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
    if len(words) >= 4:
        shingles = set(map(" ".join, zip(words, words[1:], words[2:], words[3:])))
    else:
        shingles = {" ".join(words)}
    b2 = hashlib.blake2b
    # 8-byte big-endian digests sort as the integers they encode: only the K kept are converted.
    digests = sorted(b2(s.encode("utf-8"), digest_size=8).digest() for s in shingles)[:K]
    return [int.from_bytes(d, "big") for d in digests]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union_k = heapq.nsmallest(K, sa | sb)
    return sum(1 for h in union_k if h in sa and h in sb) / len(union_k)
