"""Choosing how to turn a text export's bytes into text, before any of it is parsed.

Exports reach us as UTF-8 (often with a BOM), as Excel's "Unicode Text" (UTF-16), or as
Excel's Windows "CSV" (cp1252). The whole file is decoded once, in binary chunks, so a
bad byte on the last line is reported up front, with its line, instead of halfway
through an import.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from insights.errors import ImportFailed

CHUNK_BYTES = 1 << 20
SNIFF_BYTES = 4096
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # the utf-16 codec reads the BOM and drops it
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Undecodable:
    """Where decoding stopped: 1-based line and the offending byte."""

    line: int
    byte: int


def _marked(head: bytes) -> str | None:
    """The encoding a BOM names, or UTF-16 recognised by its NUL bytes (ASCII text)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    units = len(head) // 2
    even, odd = head[0 : 2 * units : 2].count(0), head[1 : 2 * units : 2].count(0)
    if odd > units * 0.3 and even * 10 < odd:
        return "utf-16-le"
    if even > units * 0.3 and odd * 10 < even:
        return "utf-16-be"
    return None


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    while chunk := source.read(CHUNK_BYTES):
        yield chunk, False
    yield b"", True


def first_undecodable(source: BinaryIO, encoding: str) -> Undecodable | None:
    """Decode the whole of ``source`` in chunks; where it fails, if it does."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    for chunk, final in _chunks(source):
        state = decoder.getstate()
        try:
            lines += decoder.decode(chunk, final).count("\n")
        except UnicodeDecodeError as error:
            # error.object is what the decoder held plus this chunk; re-decode its good part
            decoder.setstate((b"", state[1]))
            before = decoder.decode(error.object[: error.start])
            return Undecodable(lines + before.count("\n"), error.object[error.start])
    return None


def _refusal(name: str, bad: Undecodable, marked: str | None) -> ImportFailed:
    where = f"the byte 0x{bad.byte:02x} on line {bad.line}"
    if marked is None:
        why = f"{where} is neither UTF-8 nor Windows-1252 (Excel's 'CSV')"
    elif marked.startswith("utf-16"):
        why = f"it looks like UTF-16 (Excel's 'Unicode Text') but {where} does not decode"
    else:
        why = f"it starts as UTF-8 but {where} is not UTF-8"
    return ImportFailed(
        f"File {name} cannot be read as text: {why}. Save the export as 'CSV UTF-8' and try again."
    )


def choose_encoding(path: Path, name: str) -> str:
    """The encoding that decodes every byte of ``path``; raises naming the first bad byte."""
    with path.open("rb") as source:
        marked = _marked(source.read(SNIFF_BYTES))
        bad = None
        for encoding in [marked] if marked else ["utf-8-sig", "cp1252"]:
            source.seek(0)
            bad = first_undecodable(source, encoding)
            if bad is None:
                return encoding
    assert bad is not None
    raise _refusal(name, bad, marked)
