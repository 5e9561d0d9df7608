"""Streaming the respondents of a CSV, TSV or TXT export with pandas, in chunks.

pandas reads ``rows`` records at a time straight from the file, so memory stays bounded
whatever its size. Every cell is read as text; nothing is trimmed or turned into NaN.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from insights.errors import ImportFailed
from insights.ingest.exports._chunk import shape, too_many_cells
from insights.ingest.exports._decode import choose_encoding
from insights.ingest.exports._exclude import Exclusions
from insights.ingest.exports._header import Header
from insights.ingest.exports._limits import Limits
from insights.ingest.exports._model import ChunkReader, Layout, Progress, fit_rows
from insights.ingest.exports._text_header import (
    SNIFF_CHARS,
    open_text,
    read_header,
    records,
    sniff_delimiter,
    unclosed,
    unreadable,
)

UNCLOSED_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


@dataclass(frozen=True)
class TextSource:
    """A delimited text export whose encoding, delimiter and header are known."""

    path: Path
    encoding: str
    delimiter: str
    header: Header
    width: int  # the most cells in the first records, trailing blanks included
    limits: Limits

    @classmethod
    def open(cls, path: Path, limits: Limits) -> TextSource:
        """Check every byte decodes, then read the header within ``limits``: a bad file
        fails before any import."""
        encoding = choose_encoding(path, path.name)
        with open_text(path, encoding) as text:
            delimiter = sniff_delimiter(text.read(SNIFF_CHARS))
        header, width = read_header(path, encoding, delimiter, limits)
        return cls(path, encoding, delimiter, header, width, limits)

    @property
    def name(self) -> str:
        """The file's name, as messages show it (never the server-side path)."""
        return self.path.name

    def reader(self, layout: Layout, rule: Exclusions, excluded: Counter[str]) -> ChunkReader:
        """Chunks of respondents: pandas reads ``rows`` records at a time from the file."""

        def read(rows: int, progress: Progress | None) -> Iterator[pd.DataFrame]:
            with self.path.open("rb") as raw:
                total = os.fstat(raw.fileno()).st_size
                text = io.TextIOWrapper(raw, self.encoding, newline="")
                fitted = fit_rows(rows, max(self.width, len(layout.columns)) + 1)
                for block in self._blocks(text, layout, fitted):
                    frame = shape(block, layout.ids, self.name, rule, excluded)
                    if len(frame):
                        yield frame
                    if progress:
                        progress(min(raw.tell(), total), total)

        return read

    def _blocks(self, text: io.TextIOWrapper, layout: Layout, rows: int) -> Iterator[pd.DataFrame]:
        """Raw positional blocks indexed by file row; one spare column catches long rows."""
        try:
            with pd.read_csv(
                text,
                sep=self.delimiter,
                header=None,
                names=list(range(max(self.width, len(layout.columns)) + 1)),
                index_col=False,
                skiprows=layout.header_rows,
                dtype=str,
                na_filter=False,
                skip_blank_lines=False,
                chunksize=rows,
                engine="c",
            ) as chunks:
                for block in chunks:
                    block.index = block.index + layout.header_rows + 1
                    yield block
        except pd.errors.ParserError as error:
            raise self._parse_failure(error, layout) from None

    def _parse_failure(self, error: Exception, layout: Layout) -> ImportFailed:
        """Name the row pandas stumbled on when it can; else pass on its reason."""
        open_quote = UNCLOSED_QUOTE.search(str(error))
        if open_quote:  # pandas counts records from 0, header rows included
            return unclosed(self.name, int(open_quote[1]) + 1)
        try:
            return self._long_row(layout) or unreadable(self.name, error)
        except csv.Error:
            return unreadable(self.name, error)

    def _long_row(self, layout: Layout) -> ImportFailed | None:
        """The refusal for the first row with more cells than pandas was told to expect."""
        width, spare = len(layout.columns), max(self.width, len(layout.columns)) + 1
        found = records(self.path, self.encoding, self.delimiter, limits=self.limits)
        with closing(found):
            for number, record in enumerate(found, start=1):
                filled = [i for i, cell in enumerate(record) if cell.strip()]
                too_long = len(record) > spare or (bool(filled) and filled[-1] >= width)
                if number > layout.header_rows and too_long:
                    cells = max(len(record), width + 1)
                    return too_many_cells(self.name, number, cells, width)
        return None
