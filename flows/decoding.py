"""Content-Encoding undone in small pieces, with a cap on every layer's output (issue 15).

httpx decodes a chunk through all its layers at once and the size cap could only be checked
afterwards: `Content-Encoding: gzip, gzip` turned 1,770 bytes into 2.2 GB in memory. Here
each layer's decompressor gives at most PIECE bytes at a time, and the bytes every layer
produces are counted together against the cap, so a bomb stops at the cap, not after it.
"""

from __future__ import annotations

import zlib

PIECE = 64 * 1024
ACCEPTED = "gzip, deflate"
"""Sent as Accept-Encoding: the encodings this module undoes."""


class TooLarge(Exception):
    """The layers produced more than the cap."""


class BadEncoding(Exception):
    """An encoding we do not read, or data that is not what its encoding says."""


class _Layer:
    def __init__(self, coding: str) -> None:
        self.coding = coding
        # gzip: a gzip header; deflate: a zlib header, or raw deflate as some servers send it.
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
        self.started = False

    def decompress(self, data: bytes) -> bytes:
        try:
            piece = self.z.decompress(data, PIECE)
        except zlib.error as exc:
            if self.coding == "deflate" and not self.started:
                self.z = zlib.decompressobj(-zlib.MAX_WBITS)
                self.started = True
                return self.decompress(data)
            raise BadEncoding(f"{self.coding}: {exc}") from None
        self.started = True
        return piece


class BoundedDecoder:
    """Feed it raw body chunks; it returns the decoded body in pieces, or raises TooLarge
    once the layers together have produced more than `limit` bytes."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = ["gzip" if c == "x-gzip" else c for c in codings if c != "identity"]
        unknown = [c for c in codings if c not in ("gzip", "deflate")]
        if unknown:
            raise BadEncoding(f"Content-Encoding {', '.join(unknown)} is not read (we ask for {ACCEPTED})")
        # The last encoding applied is the first undone.
        self.layers = [_Layer(c) for c in reversed(codings)]
        self.limit, self.produced = limit, 0

    def feed(self, data: bytes) -> list[bytes]:
        if not self.layers:
            self._count(data)
            return [data] if data else []
        return self._through(0, data) if data else []

    def flush(self) -> list[bytes]:
        """The end of the body: what each layer still holds, through the layers after it."""
        out: list[bytes] = []
        for i, layer in enumerate(self.layers):
            rest = layer.z.flush()  # small: every call above was drained to under a PIECE
            if rest:
                self._count(rest)
                out += self._through(i + 1, rest)
        return out

    def _count(self, piece: bytes) -> None:
        self.produced += len(piece)
        if self.produced > self.limit:
            raise TooLarge(f"over {self.limit} bytes decoded")

    def _through(self, i: int, data: bytes) -> list[bytes]:
        if i == len(self.layers):
            return [data]
        layer, out = self.layers[i], []
        while True:
            piece = layer.decompress(data)
            data = layer.z.unconsumed_tail
            if piece:
                self._count(piece)
                out += self._through(i + 1, piece)
            if not data and len(piece) < PIECE:  # a full piece may leave more output pending
                return out
