"""Reading delimited text tables (DwC-A data files, GBIF simple CSVs) column by column, counting bad rows.

A row with the wrong number of fields or bytes that are not valid in the declared encoding is not an error: it is
counted (with its line number and id when one can be read) so ingest can report it as a dropped record. A file
where most rows are malformed is an error, with a hint about the delimiter.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# The longest field (and line) read: Darwin Core values are short, a long occurrenceRemarks a few kB; a field
# past this is a broken or hostile file, not data (the default of Python's csv module is 128 kB).
MAX_FIELD_BYTES = 16 * 2**20
csv.field_size_limit(min(sys.maxsize, MAX_FIELD_BYTES))


@dataclass(frozen=True)
class ArchiveLimits:
    """What a zip member may unpack to (``ingest.max_member_gb``, ``ingest.max_ratio``): generous for GBIF
    downloads (text compresses 6-10x), refusing archive bombs before they are unpacked."""

    max_member_bytes: int = 200 * 10**9
    max_ratio: float = 100.0
    ratio_from_bytes: int = 10 * 2**20  # smaller members cannot hurt, whatever their ratio
    max_meta_bytes: int = 2**20  # meta.xml: a few kB in practice

CANDIDATE_DELIMITERS = ("\t", ",", ";", "|")


class IngestError(ValueError):
    """The input cannot be read; the message says what is wrong and where."""


@dataclass
class TableFormat:
    delimiter: str = "\t"
    quote: str = ""  # "" = fields are not enclosed
    line_terminator: str = "\n"
    encoding: str = "utf-8"
    header_lines: int = 1


@dataclass
class BadRow:
    line: int  # 1-based record number in the file (header included)
    record_id: str
    reason: str  # malformed_row | bad_encoding
    detail: str


@dataclass
class ParsedTable:
    name: str
    columns: dict[str, list[str]]
    n_rows: int = 0  # data rows read (good and bad)
    bad: list[BadRow] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    field_counts: Counter = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


def unescape(value: str) -> str:
    """meta.xml writes control characters as escapes: ``\\t`` -> tab, ``\\n`` -> newline."""
    return value.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")


def check_encoding(encoding: str, where: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise IngestError(f"{where}: unknown text encoding '{encoding}'") from None
    return "utf-8-sig" if name == "utf-8" else name


def _records(stream: BinaryIO, fmt: TableFormat, where: str) -> Iterator[list[str]]:
    encoding = check_encoding(fmt.encoding, where)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
    if fmt.line_terminator in ("\n", "\r\n", "\r"):
        quoting = csv.QUOTE_MINIMAL if fmt.quote else csv.QUOTE_NONE
        reader = csv.reader(
            text, delimiter=fmt.delimiter, quotechar=fmt.quote or None, quoting=quoting, strict=False
        )
        try:
            yield from reader
        except csv.Error as e:
            raise IngestError(f"{where}: cannot parse line {reader.line_num}: {e}") from None
        return
    # an unusual line terminator: split it ourselves (no quoting support needed in practice)
    buf = ""
    while chunk := text.read(1 << 20):
        buf += chunk
        *lines, buf = buf.split(fmt.line_terminator)
        for line in lines:
            yield line.split(fmt.delimiter)
        if len(buf) > MAX_FIELD_BYTES:
            raise IngestError(f"{where}: a line longer than {MAX_FIELD_BYTES} bytes (wrong linesTerminatedBy?)")
    if buf:
        yield buf.split(fmt.delimiter)


def _has_bad_bytes(row: list[str]) -> bool:
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_table(
    stream: BinaryIO,
    name: str,
    fmt: TableFormat,
    wanted: dict[str, int],
    *,
    n_fields: int,
    id_index: int | None = None,
) -> ParsedTable:
    """Read the columns ``wanted`` (name -> field index) of a delimited file.

    ``n_fields`` is the number of fields a row must have (extra fields are tolerated when empty: a trailing
    delimiter). Values are stripped of surrounding white space.
    """
    table = ParsedTable(name, {col: [] for col in wanted})
    try:
        _fill(table, stream, fmt, wanted, n_fields, id_index)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as e:
        raise IngestError(f"cannot read {name}: {e}") from None
    _check_mostly_malformed(table, fmt, n_fields)
    return table


def _fill(
    table: ParsedTable,
    stream: BinaryIO,
    fmt: TableFormat,
    wanted: dict[str, int],
    n_fields: int,
    id_index: int | None,
) -> None:
    items = list(wanted.items())
    for lineno, row in enumerate(_records(stream, fmt, table.name), start=1):
        if lineno <= fmt.header_lines:
            if lineno == 1:
                table.header = row
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        table.n_rows += 1
        table.field_counts[len(row)] += 1
        rid = row[id_index].strip() if id_index is not None and id_index < len(row) else ""
        if len(row) < n_fields or (len(row) > n_fields and any(f.strip() for f in row[n_fields:])):
            table.bad.append(BadRow(lineno, rid, "malformed_row", f"{len(row)} fields, expected {n_fields}"))
            continue
        if _has_bad_bytes(row):
            rid = rid.encode("utf-8", "replace").decode("utf-8") if rid else ""
            table.bad.append(BadRow(lineno, rid, "bad_encoding", f"bytes not valid {fmt.encoding}"))
            continue
        for col, idx in items:
            table.columns[col].append(row[idx].strip())


def _check_mostly_malformed(table: ParsedTable, fmt: TableFormat, n_fields: int) -> None:
    malformed = sum(1 for b in table.bad if b.reason == "malformed_row")
    if table.n_rows == 0 or malformed * 2 <= table.n_rows:
        return
    seen = ", ".join(f"{k} ({v} rows)" for k, v in table.field_counts.most_common(3))
    hint = ""
    header = fmt.delimiter.join(table.header) if table.header else ""
    for alt in CANDIDATE_DELIMITERS:
        if alt != fmt.delimiter and header and len(header.split(alt)) >= max(2, n_fields - 1):
            hint = (
                f"; the header line splits into {len(header.split(alt))} fields on {alt!r}: wrong delimiter?"
            )
            break
    raise IngestError(
        f"{table.name}: {malformed} of {table.n_rows} rows do not have the {n_fields} fields declared "
        f"(field counts seen: {seen}); delimiter is {fmt.delimiter!r}, quote {fmt.quote!r}{hint}"
    )


# --------------------------------------------------------------------------------------------- containers


def human_bytes(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


class Container:
    """A zip file or a folder, read by member name; zip members are checked against ``limits`` before they are
    unpacked."""

    def __init__(self, path: str | Path, limits: ArchiveLimits | None = None):
        self.path = Path(path)
        self.limits = limits or ArchiveLimits()
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            return
        if not self.path.exists():
            raise IngestError(f"input {self.path} does not exist")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except zipfile.BadZipFile:
            raise IngestError(f"{self.path} is not a zip file (nor a folder)") from None
        except OSError as e:
            raise IngestError(f"cannot read {self.path}: {e}") from None

    def names(self) -> list[str]:
        if self._zip is not None:
            return [n for n in self._zip.namelist() if not n.endswith("/")]
        return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file())

    def exists(self, name: str) -> bool:
        return name in set(self.names())

    def check_member(self, info: zipfile.ZipInfo) -> None:
        """Refuse a member whose unpacked size or compression ratio says it is an archive bomb (zipfile never
        unpacks more than the size a member declares, so checking the declaration is enough)."""
        lim = self.limits
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > lim.max_member_bytes:
            raise IngestError(
                f"{info.filename} in {self.path} unpacks to {human_bytes(size)}, over the limit of "
                f"{human_bytes(lim.max_member_bytes)} (ingest.max_member_gb)"
            )
        if size >= lim.ratio_from_bytes and size / packed > lim.max_ratio:
            raise IngestError(
                f"{info.filename} in {self.path} unpacks {size / packed:.0f}x ({human_bytes(packed)} to {human_bytes(size)}), over the "
                f"limit of {lim.max_ratio:g}x (ingest.max_ratio): an archive bomb?"
            )

    def open(self, name: str) -> BinaryIO:
        try:
            if self._zip is not None:
                self.check_member(self._zip.getinfo(name))
                return self._zip.open(name)
            return open(self.path / name, "rb")
        except (KeyError, FileNotFoundError):
            raise IngestError(f"{name} is not in {self.path}") from None
        except (zipfile.BadZipFile, OSError) as e:
            raise IngestError(f"cannot read {name} in {self.path}: {e}") from None

    def read_bytes(self, name: str, limit: int) -> bytes:
        """The whole member, when it is at most ``limit`` bytes (read in chunks: nothing larger is unpacked)."""
        parts, size = [], 0
        with self.open(name) as f:
            try:
                while chunk := f.read(min(1 << 16, limit + 1 - size)):
                    parts.append(chunk)
                    size += len(chunk)
                    if size > limit:
                        raise IngestError(f"{name} in {self.path} is larger than {limit} bytes: not a {name} herbproc reads")
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise IngestError(f"cannot read {name} in {self.path}: {e}") from None
        return b"".join(parts)

    def first_line(self, name: str) -> bytes:
        """The first line of a member (at most ``MAX_FIELD_BYTES``)."""
        with self.open(name) as f:
            try:
                line = f.readline(MAX_FIELD_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise IngestError(f"cannot read {name} in {self.path}: {e}") from None
        if len(line) > MAX_FIELD_BYTES:
            raise IngestError(f"{name} in {self.path}: the first line is longer than {MAX_FIELD_BYTES} bytes")
        return line

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
