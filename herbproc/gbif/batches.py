"""Delimited tables read in batches of rows, with the same rows, values and bad rows as ``tables.read_table``.

``iter_batches`` never holds more than one block of the file (``BLOCK_BYTES`` of text) and one batch of the
wanted columns. The common GBIF layout (no quoting, ``\\n`` line ends, UTF-8) goes through pyarrow's CSV parser
block by block; a block that pyarrow cannot take as it is (a row with the wrong number of fields, bytes that are
not UTF-8, a ``\\r``) is parsed again row by row by the reader of ``tables.py``, so bad rows are reported exactly
as before (line number, id, reason). Other layouts (quoted fields, other encodings or line ends) are read row by
row by that reader, still in batches.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from herbproc.gbif.tables import (
    MAX_FIELD_BYTES,
    BadRow,
    IngestError,
    ParsedTable,
    TableFormat,
    _check_mostly_malformed,
    _has_bad_bytes,
    _records,
    check_encoding,
)

BLOCK_BYTES = 32 << 20  # text per pyarrow parse (the unit of memory of the fast path)
SLOW_BATCH_ROWS = 50_000
# what Python's str.strip() removes: the reader of tables.py strips every value this way
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)  # = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) (tested)


@dataclass
class Batch:
    """Good rows of one block: wanted column -> string array (stripped), in file order."""

    columns: dict[str, pa.Array]
    n_rows: int
    bad: list[BadRow] = field(default_factory=list)


@dataclass
class TableStats:
    """What ``read_table`` would know at the end: rows, bad rows, field counts, the header."""

    name: str
    n_rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    field_counts: Counter = field(default_factory=Counter)
    fast_blocks: int = 0
    slow_blocks: int = 0

    def check(self, fmt: TableFormat, n_fields: int) -> None:
        """The error ``read_table`` raises when most rows are malformed."""
        table = ParsedTable(self.name, {}, self.n_rows, self.bad, self.header, self.field_counts)
        _check_mostly_malformed(table, fmt, n_fields)


def fast_format(fmt: TableFormat) -> bool:
    """The layout pyarrow can parse block by block with results identical to the row reader."""
    try:
        enc = check_encoding(fmt.encoding, "")
    except IngestError:
        return False
    return (
        fmt.quote == ""
        and fmt.line_terminator in ("\n", "\r\n")
        and enc == "utf-8-sig"
        and len(fmt.delimiter) == 1
        and fmt.delimiter not in "\r\n"
    )


def _strip(arr: pa.Array) -> pa.Array:
    return pc.utf8_trim(arr, characters=PY_WHITESPACE)


class _RowSink:
    """Rows from the row reader -> batches, with the checks of ``tables._fill``."""

    def __init__(self, stats: TableStats, wanted: dict[str, int], n_fields: int, id_index, fmt):
        self.stats, self.wanted, self.n_fields, self.id_index, self.fmt = (
            stats,
            wanted,
            n_fields,
            id_index,
            fmt,
        )
        self.items = list(wanted.items())
        self.reset()

    def reset(self) -> None:
        self.cols: dict[str, list[str]] = {c: [] for c in self.wanted}
        self.bad: list[BadRow] = []
        self.n = 0

    def add(self, lineno: int, row: list[str]) -> None:
        if not row or (len(row) == 1 and not row[0].strip()):
            return  # blank line
        stats, n_fields, id_index = self.stats, self.n_fields, self.id_index
        stats.n_rows += 1
        stats.field_counts[len(row)] += 1
        rid = row[id_index].strip() if id_index is not None and id_index < len(row) else ""
        if len(row) < n_fields or (len(row) > n_fields and any(f.strip() for f in row[n_fields:])):
            bad = BadRow(lineno, rid, "malformed_row", f"{len(row)} fields, expected {n_fields}")
            stats.bad.append(bad)
            self.bad.append(bad)
            return
        if _has_bad_bytes(row):
            rid = rid.encode("utf-8", "replace").decode("utf-8") if rid else ""
            bad = BadRow(lineno, rid, "bad_encoding", f"bytes not valid {self.fmt.encoding}")
            stats.bad.append(bad)
            self.bad.append(bad)
            return
        for col, idx in self.items:
            self.cols[col].append(row[idx].strip())
        self.n += 1

    def take(self) -> Batch:
        batch = Batch({c: pa.array(v, pa.string()) for c, v in self.cols.items()}, self.n, self.bad)
        self.reset()
        return batch


def iter_batches(
    stream: BinaryIO,
    name: str,
    fmt: TableFormat,
    wanted: dict[str, int],
    *,
    n_fields: int,
    id_index: int | None = None,
    stats: TableStats | None = None,
) -> Iterator[Batch]:
    """Batches of the columns ``wanted`` (name -> field index); ``stats`` collects the file's counts.

    Call ``stats.check(fmt, n_fields)`` after the last batch for ``read_table``'s "mostly malformed" error.
    """
    stats = stats if stats is not None else TableStats(name)
    try:
        if fast_format(fmt):
            yield from _fast(stream, stats, fmt, wanted, n_fields, id_index)
        else:
            yield from _slow(stream, stats, fmt, wanted, n_fields, id_index)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as e:
        raise IngestError(f"cannot read {name}: {e}") from None


def _slow(stream, stats, fmt, wanted, n_fields, id_index) -> Iterator[Batch]:
    sink = _RowSink(stats, wanted, n_fields, id_index, fmt)
    for lineno, row in enumerate(_records(stream, fmt, stats.name), start=1):
        if lineno <= fmt.header_lines:
            if lineno == 1:
                stats.header = row
            continue
        sink.add(lineno, row)
        if sink.n + len(sink.bad) >= SLOW_BATCH_ROWS:
            yield sink.take()
    if sink.n or sink.bad:
        yield sink.take()


def _blocks(stream: BinaryIO, where: str = "") -> Iterator[bytes]:
    """The stream in blocks of whole lines (the last one may lack its line end); a line past
    ``MAX_FIELD_BYTES`` is refused before it is held whole."""
    rest = b""
    while True:
        chunk = stream.read(BLOCK_BYTES)
        if not chunk:
            break
        data = rest + chunk if rest else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) > MAX_FIELD_BYTES:
                raise IngestError(f"{where}: a line longer than {MAX_FIELD_BYTES} bytes (wrong linesTerminatedBy?)")
            rest = data
            continue
        rest = data[cut + 1 :]
        yield data[: cut + 1]
    if rest:
        yield rest


def _has_long_line(block: bytes) -> bool:
    """Whether a line of the block is longer than the row reader's field limit (it then reads the block and
    names the line)."""
    if len(block) <= MAX_FIELD_BYTES:
        return False
    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(block)]))
    return bool(np.diff(bounds).max() > MAX_FIELD_BYTES)


def _valid_utf8(block: bytes) -> bool:
    try:
        pa.array([block], pa.binary()).cast(pa.string())
    except pa.ArrowInvalid:
        return False
    return True


def _fast(stream, stats, fmt, wanted, n_fields, id_index) -> Iterator[Batch]:
    delim = fmt.delimiter
    names = [f"f{i}" for i in range(n_fields)]
    by_index: dict[int, list[str]] = {}
    for col, idx in wanted.items():
        by_index.setdefault(idx, []).append(col)
    include = [names[i] for i in sorted(by_index)]
    convert = pacsv.ConvertOptions(
        include_columns=include,
        column_types={n: pa.string() for n in include},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    read = pacsv.ReadOptions(column_names=names, use_threads=True, block_size=BLOCK_BYTES + (1 << 20))
    sink = _RowSink(stats, wanted, n_fields, id_index, fmt)
    line = 1  # csv record number of the block's first line (header lines included)
    first = True
    for block in _blocks(stream, stats.name):
        start = line
        line += block.count(b"\n")
        if first:
            first = False
            if block.startswith(codecs.BOM_UTF8):
                block = block[len(codecs.BOM_UTF8) :]
            # header lines: the row reader's view of them (``\r`` is a line end there too)
            pos = 0
            for _ in range(fmt.header_lines):
                end = block.find(b"\n", pos)
                end = len(block) if end < 0 else end + 1
                head = block[pos:end]
                if b"\r" in head.rstrip(b"\r\n") or not head:
                    # an odd header: let the row reader read this whole first block
                    pos = -1
                    break
                if pos == 0:
                    stats.header = head.rstrip(b"\r\n").decode("utf-8", "surrogateescape").split(delim)
                pos = end
            if pos < 0:
                batch, records = _slow_block(sink, block, fmt, 1, header=True, stats=stats)
                line = 1 + records
                yield batch
                continue
            block = block[pos:]
            start += fmt.header_lines
        table = None
        if b"\r" not in block and not _has_long_line(block) and _valid_utf8(block):
            problems = []

            def handler(row, problems=problems):
                problems.append(row)
                return "skip"

            opts = pacsv.ParseOptions(
                delimiter=delim, quote_char=False, escape_char=False, newlines_in_values=False,
                ignore_empty_lines=True, invalid_row_handler=handler,
            )  # fmt: skip
            try:
                table = pacsv.read_csv(io.BytesIO(block), read_options=read, parse_options=opts,
                                       convert_options=convert)  # fmt: skip
            except pa.ArrowInvalid:
                table = None
            if problems:
                table = None
        if table is None:
            stats.slow_blocks += 1
            batch, records = _slow_block(sink, block, fmt, start, header=False, stats=stats)
            line = start + records  # a lone \r is a line end for the row reader
            yield batch
            continue
        stats.fast_blocks += 1
        n = table.num_rows
        stats.n_rows += n
        if n:
            stats.field_counts[n_fields] += n
        cols = {}
        for idx, cols_here in by_index.items():
            arr = _strip(table.column(names[idx]).combine_chunks())
            for col in cols_here:
                cols[col] = arr
        yield Batch(cols, n, [])


def _slow_block(sink: _RowSink, block: bytes, fmt, start: int, *, header: bool, stats) -> tuple[Batch, int]:
    """The block through the row reader; returns its batch and the number of records (lines) it held."""
    text = io.TextIOWrapper(io.BytesIO(block), encoding="utf-8-sig" if header else "utf-8",
                            errors="surrogateescape", newline="")  # fmt: skip
    reader = csv.reader(text, delimiter=fmt.delimiter, quotechar=None, quoting=csv.QUOTE_NONE, strict=False)
    records = 0
    try:
        for lineno, row in enumerate(reader, start=start):
            records += 1
            if header and lineno <= fmt.header_lines:
                if lineno == 1:
                    stats.header = row
                continue
            sink.add(lineno, row)
    except csv.Error as e:  # the row reader's words (tables._records)
        raise IngestError(f"{stats.name}: cannot parse line {start + records}: {e}") from None
    return sink.take(), records
