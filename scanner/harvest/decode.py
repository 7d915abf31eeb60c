"""Streamed content decoding with the output capped, so a gzip bomb never inflates past the byte cap."""
from __future__ import annotations

import zlib
from typing import Protocol


class BodyTooLarge(Exception):
    """The (decoded) response body exceeds the byte cap."""


class DecodeFailed(Exception):
    """The body does not decode with its declared Content-Encoding."""


class Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...


class Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data


class Zlib:
    """gzip or zlib-wrapped deflate (auto-detected), raw deflate as a fallback."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 32)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.decompress(data, limit)
        except zlib.error:
            if self._started:
                raise DecodeFailed("invalid compressed data") from None
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._obj.decompress(data, limit)
            except zlib.error as exc:
                raise DecodeFailed(f"invalid compressed data: {exc}") from None
        self._started = True
        if self._obj.unconsumed_tail:
            raise BodyTooLarge("decompressed body over the cap")
        return out


class Brotli:
    def __init__(self) -> None:
        import brotli

        self._obj = brotli.Decompressor()
        self._error = brotli.error

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.process(data, output_buffer_limit=limit)
        except self._error as exc:
            raise DecodeFailed(f"invalid brotli data: {exc}") from None
        if len(out) >= limit and not self._obj.can_accept_more_data():
            raise BodyTooLarge("decompressed body over the cap")
        return out


def make_decoder(content_encoding: str | None) -> Decoder:
    encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    encodings = [e for e in encodings if e != "identity"]
    if not encodings:
        return Identity()
    if len(encodings) > 1:
        raise DecodeFailed(f"unsupported stacked Content-Encoding: {content_encoding}")
    if encodings[0] in ("gzip", "x-gzip", "deflate"):
        return Zlib()
    if encodings[0] == "br":
        return Brotli()
    raise DecodeFailed(f"unsupported Content-Encoding: {encodings[0]}")
