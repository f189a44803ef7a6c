#!/usr/bin/env python
"""Every field on real labels: herbproc's reader (what ``herbproc ocr --names NAMES --json`` runs) against gold and
hand-checked transcriptions, scored per term with ``herbproc.fields.score`` (right / wrong / abstained and
hespi-style similarity) for scientificName, recordedBy, recordNumber, eventDate, country, stateProvince, county,
locality, catalogNumber.

aocr — the 30 New York Botanical Garden sheets of ``<fixtures>/aocr_gold`` (3744 x 5616) with the iDigBio
  Augmenting OCR gold: per sheet, the ``primary`` region's row gives recordedBy (``dwc:recordedBy`` and the
  other collectors of ``dwc:recordedBy2``), recordNumber, eventDate, country, stateProvince, county and
  locality (``dwc:verbatimLocality``), the ``barcode`` row catalogNumber; scientificName
  is the label's name or any determination slip's (alternatives; a slip's abbreviation like ``C. b.`` is left
  out). Candidate names: ``aocr_gold/names.txt`` (the sheets' 35 names and 457 near-miss distractors).
  ``--aocr-folder`` reads other gold sheets in the same layout (the hackathon's 70 other ``herb/gold`` sheets);
  without a ``names.txt`` there, the candidates are their gold names plus :func:`near_misses`.
real — the 13 Harvard ``<scientific name><index>.jpeg`` thumbnails (500 x 750) of ``<fixtures>/real_sheets``
  against ``tests/data/real_sheets_truth.csv`` (hand-checked; UNREADABLE cells are not scored). Candidate names:
  their 13 names.
more — the 42 sheets of ``<fixtures>/more_sheets`` (1000 to 4000 px wide: Harvard, COLO, SWMT, a Chinese Virtual
  Herbarium sheet, Field Museum moss packets) against ``tests/data/more_sheets_truth.csv``, transcribed by eye
  before herbproc read them and never used to choose a rule: the held-out set. Candidate names: every name of the
  truth file plus the near-miss binomials :func:`near_misses` makes from them (each genus with every other
  epithet of the set), as ``aocr_gold/names.txt`` was made. ``--more-folder`` and ``--more-truth`` score another
  hand-checked set the same way: ``tests/data/fern_sheets_truth.csv`` holds 30 Field Museum fern sheets (1500 px
  wide, Julian A. Steyermark's handwritten Flora of Missouri labels), transcribed by eye before herbproc read them;
  the images are in the emcdona1/ocr_handwritten_labels repository's history (docs/benchmarks.md says where).

    python bench/aocr.py                                   # aocr and real
    python bench/aocr.py --set more                        # the held-out sheets
    python bench/aocr.py --set more --more-folder ferns/ --more-truth tests/data/fern_sheets_truth.csv
    python bench/aocr.py --set aocr --limit 5 --json /tmp/aocr.json
    python bench/aocr.py --set aocr --aocr-folder /data/aocr70   # other gold sheets in the same layout
    python bench/aocr.py --fixtures ../shared/fixtures --threads 2
    python bench/aocr.py --readings-cache /tmp/readings.json   # OCR once; later runs re-read fields only

With ``--readings-cache PATH`` each sheet's read lines (text and card per line), every reading of them (the
engines' and the crops' other readings, with the line each came from) and its taxon fields are stored at PATH the
first time; when PATH exists the sheets are not read again, only ``extract_fields`` runs on the stored lines and
the taxon is resolved again over the stored readings (seconds instead of minutes). A cache written before the
readings were kept replays its stored taxon fields.

Each set also prints the taxon's confidence against the truth (``reliability``): of the names given at a
confidence in 0.5–0.7, 0.7–0.9 and 0.9–1.0, how many are right, beside their mean confidence. A calibrated
confidence has about as many right as its mean says.

``--without-truth-names`` leaves the sheets' own names out of the candidates (their near misses stay): the
label's name is in no list, as for a record kept without a name read against the run's classes (``ingest.keep_unnamed``,
``ocr.unnamed_taxonomy``); every name given is then wrong.

``--no-names`` reads without a taxonomy, as ``herbproc ocr`` without ``--names`` does: the name is the one the
rules find on the label, its confidence the field calibration's (``bench/fieldcal.py`` fits it from these runs).

``--collectors FILE`` reads recordedBy against a list of collectors (``ocr.collectors_file``); with
``--collectors-without-truth`` each sheet is read against the list less its own collectors, so every collector
found or rewritten is wrong (the false finds of a list that lacks the label's collector).

Each sheet's JSON row keeps the other fields' confidences (``field_confidences``, as ``ocr.field_calibration``
makes them); ``bench/fieldcal.py`` fits the field calibration on them and reports how it holds.

Two scorings are printed (``herbproc.fields.score``): strict (folded strings) and by code (country as its ISO
3166-1 code, stateProvince as its ISO 3166-2 subdivision, ``St.`` = ``Saint`` in place names; the gold's country
and province are verbatim, ``PORTO RICO``), each with the mean per-term accuracy (the terms' right rates
averaged over the terms with a scored sheet: the thumbnails' catalogNumber, all UNREADABLE, is left out).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from herbproc.fields.score import ALTERNATIVES, TERMS, format_table, judge, mean_right_rate, score  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TRUTH = REPO / "tests" / "data" / "real_sheets_truth.csv"
MORE_TRUTH = REPO / "tests" / "data" / "more_sheets_truth.csv"


def default_fixtures() -> Path:
    for c in (
        os.environ.get("HERBPROC_FIXTURES"),
        REPO.parent / "shared" / "fixtures",
        "/work/shared/fixtures",
    ):
        if c and Path(c).is_dir():
            return Path(c)
    return REPO.parent / "shared" / "fixtures"


def _abbreviated(name: str) -> bool:
    """A slip's shorthand (``C. b.``): the genus written as an initial."""
    words = name.split()
    return not words or bool(re.fullmatch(r"[A-Z]\.", words[0]))


def _region(row: dict[str, str]) -> str:
    """A gold row's region; a gold file of one row without ``aocr:regionType`` (the hackathon's lichen packets)
    is the primary label, barcode included."""
    return row.get("aocr:regionType") or "primary"


def aocr_names(rows: list[dict[str, str]]) -> list[str]:
    """The names a gold sheet's label and determination slips give (its primary and determination rows), each
    once, shorthand (``C. b.``) left out: any of them counts as the sheet's name."""
    names = []
    for kind in ("primary", "determination"):  # the label's name first
        for r in (r for r in rows if _region(r) == kind):
            name = (r.get("dwc:scientificName") or r.get("aocr:verbatimScientificName") or "").strip()
            if name and not _abbreviated(name):
                names.append(name)
    return list(dict.fromkeys(names))


def aocr_sheets(folder: Path) -> list[tuple[Path, list[dict[str, str]]]]:
    """(image, gold rows) per gold sheet of ``folder`` (``aocr_gold``), sorted by barcode."""
    out = []
    for path in sorted((folder / "parsed").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            out.append((folder / "images" / f"{path.stem}.jpg", list(csv.DictReader(f))))
    return out


def collectors(primary: dict[str, str]) -> str:
    """Every collector of the gold row: the hackathon's schema gives the first collector ``dwc:recordedBy``
    and the others ``dwc:recordedBy2``; Darwin Core's recordedBy lists them all, the first collector first."""
    people = (primary.get(key, "").strip() for key in ("dwc:recordedBy", "dwc:recordedBy2"))
    return ", ".join(p for p in people if p)


def aocr_truth(folder: Path) -> list[tuple[Path, dict[str, str]]]:
    """(image, truth row) per gold sheet, sorted by barcode."""
    out = []
    for image, rows in aocr_sheets(folder):
        primary = next((r for r in rows if _region(r) == "primary"), {})
        barcode = next((r for r in rows if _region(r) == "barcode"), primary if len(rows) == 1 else {})
        truth = {
            "scientificName": ALTERNATIVES.join(aocr_names(rows)),
            "recordedBy": collectors(primary),
            "recordNumber": primary.get("dwc:recordNumber", ""),
            "eventDate": primary.get("dwc:eventDate", ""),
            "country": primary.get("dwc:country", ""),
            "stateProvince": primary.get("dwc:stateProvince", ""),
            "county": primary.get("dwc:county", ""),
            "locality": primary.get("dwc:verbatimLocality", ""),
            "catalogNumber": barcode.get("dwc:catalogNumber", ""),
        }
        out.append((image, truth))
    return out


def real_truth(folder: Path, truth_csv: Path) -> list[tuple[Path, dict[str, str]]]:
    with truth_csv.open(newline="", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    return [(folder / name, row) for name, row in sorted(rows.items()) if (folder / name).is_file()]


def near_misses(names: list[str]) -> list[str]:
    """Binomials that are not in ``names``: each genus of ``names`` with every other epithet of ``names`` (the
    near-miss congeners a reader must tell apart letter by letter)."""
    from herbproc.fields import parse_name

    parsed = (parse_name(n) for n in names)
    pairs = {(p.genus, p.specific_epithet) for p in parsed if p is not None and p.specific_epithet}
    genera, epithets = sorted({g for g, _ in pairs}), sorted({e for _, e in pairs})
    return [f"{g} {e}" for g in genera for e in epithets if (g, e) not in pairs]


def truth_names(sheets: list[tuple[Path, dict[str, str]]]) -> list[str]:
    """Every name a truth file gives (alternatives split), each once."""
    names = (n.strip() for _, row in sheets for n in row.get("scientificName", "").split(ALTERNATIVES))
    return list(dict.fromkeys(n for n in names if n and n != "UNREADABLE"))


def gold_candidates(folder: Path, sheets: list[tuple[Path, dict[str, str]]]) -> list[str]:
    """The candidate names of a gold folder: its ``names.txt``, else the sheets' gold names and their near misses."""
    if (folder / "names.txt").is_file():
        return (folder / "names.txt").read_text(encoding="utf-8").splitlines()
    names = truth_names(sheets)
    return [*names, *near_misses(names)]


def without_truth(names: list[str], sheets: list[tuple[Path, dict[str, str]]]) -> list[str]:
    """``names`` less every name whose binomial is one of the sheets' truth names: a list that does not hold the
    labels' names (an open list, or the classes' names read against a record kept without a name)."""
    from herbproc.fields import parse_name

    def key(name: str) -> tuple[str, str] | None:
        parsed = parse_name(name)
        return (parsed.genus.lower(), parsed.specific_epithet.lower()) if parsed else None

    truth = {key(n) for n in truth_names(sheets)} - {None}
    return [n for n in names if key(n) not in truth]


@contextlib.contextmanager
def names_listed(names: list[str], given: bool = True) -> Iterator[Path | None]:
    """A names file of ``names``, one per line, removed afterwards (None when not ``given``: no taxonomy)."""
    if not given:
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "names.txt"
        path.write_text("\n".join(names) + "\n", encoding="utf-8")
        yield path


def replay(
    reading: dict[str, object], names: object, settings: object, collectors: object = None, genus: str = ""
) -> tuple[dict[str, str], float | None, dict[str, float], dict[str, float]]:
    """The Darwin Core row of a cached reading: ``extract_fields`` on its lines; the taxon resolved again over
    its stored readings (``readings``: every reading and the line it came from) where the cache has them, else
    its cached taxon fields; with the taxon's confidence (None from cached fields), the other fields'
    confidences (``ocr.field_calibration``'s) and the reading confidence of each one's line where the cache
    has them (``line_confidences``). ``names`` None: no taxonomy, the name is the rules' (``extract_fields``),
    calibrated and scored as the other fields are. ``collectors``: the herbarium's collectors (a
    ``CollectorIndex``), as ``ocr.collectors_file`` gives the reader. ``genus``: the genus the sheet's record
    gives, as the stage gives a record kept without a name (``ocr.record_genus``; no taxonomy only)."""
    from herbproc.fields import extract_fields, to_darwin_core
    from herbproc.fields.collectors import apply_collectors
    from herbproc.ocr.reader import (
        TAXON_TERMS,
        apply_bars_fit,
        finish_fields,
        resolve_readings,
        set_catalogue_number,
        set_taxon_fields,
    )

    fields = extract_fields(reading["lines"], names, labels=reading["cards"])  # type: ignore[arg-type]
    set_catalogue_number(fields, reading.get("barcodes", []), reading["lines"])  # type: ignore[arg-type]
    apply_bars_fit(fields, reading.get("bars_fit"))  # type: ignore[arg-type]
    confidence = None
    if names is not None and "readings" in reading:
        texts, origin = reading["readings"]  # type: ignore[misc]
        taxon = resolve_readings(texts, origin, names, settings)  # type: ignore[arg-type]
        set_taxon_fields(fields, taxon, names, reading["lines"])  # type: ignore[arg-type]
        confidence = round(float(taxon.confidence), 4) if taxon.name is not None else None
    line_confidences = reading.get("line_confidences")
    read_collector = "recordedBy" in fields
    finish_fields(fields, settings, line_confidences, names is not None, reading["lines"])  # type: ignore[arg-type]
    apply_collectors(fields, reading["lines"], collectors, find=not read_collector)  # type: ignore[arg-type]
    if names is None and genus and settings.record_genus:  # type: ignore[attr-defined]
        from herbproc.fields.record_genus import respell_genus

        respell_genus(fields, genus)
    if names is None and "scientificName" in fields:
        confidence = round(float(fields["scientificName"].confidence), 4)  # the rules' name, calibrated
    row = to_darwin_core(fields, min_confidence=settings.min_confidence)  # type: ignore[attr-defined]
    if names is not None and "readings" not in reading:
        row.update({t: reading["taxon"].get(t, "") for t in TAXON_TERMS})  # type: ignore[attr-defined]
    # without a taxonomy the name is the rules' and calibrated as the other fields are
    scored = {t: f for t, f in fields.items() if t in TERMS and (names is None or t not in TAXON_TERMS)}
    confidences = {t: round(f.confidence, 4) for t, f in scored.items()}
    lines = line_confidences if isinstance(line_confidences, list) else []
    on_lines = {
        t: lines[f.line] for t, f in scored.items() if f.line is not None and 0 <= f.line < len(lines)
    }
    return row, confidence, confidences, on_lines


def truth_genus(name: str) -> str:
    """The genus of a gold name (its first alternative's: ``A | B`` is the label's name and a slip's); "" where it
    names none."""
    from herbproc.fields import parse_name

    parsed = parse_name(name.split(" | ")[0].strip()) if name and name.strip() != "UNREADABLE" else None
    return parsed.genus if parsed is not None and parsed.genus else ""


def without_own_collectors(collectors: object, truth: str) -> object:
    """``collectors`` less every listed person who shares a surname and a first initial with one of ``truth``'s
    people: the sheet's collectors are in no list (a collector the herbarium has no other specimen of), and a
    collector found is then wrong."""
    from herbproc.fields.collectors import CollectorIndex, people

    own = {(p.surname, p.initials[:1]) for p in people(truth.replace(ALTERNATIVES, ";"))}
    kept = [p.text for p in collectors.people if (p.surname, p.initials[:1]) not in own]  # type: ignore[attr-defined]
    return CollectorIndex(kept)


RELIABILITY_BINS = (0.5, 0.7, 0.9, 1.0)


def reliability(per_sheet: list[dict[str, object]]) -> list[dict[str, object]]:
    """The taxon confidence against the truth: per bin of ``RELIABILITY_BINS`` (the last bin closed), the names
    given there on sheets whose truth names one, how many are right and their mean confidence. Names given without
    a confidence (a cache from before the readings were kept) are left out."""
    given: list[tuple[float, bool]] = []
    for x in per_sheet:
        truth, predicted = x["truth"]["scientificName"], x["predicted"]["scientificName"]  # type: ignore[index]
        verdict = judge("scientificName", truth, predicted) if truth.strip() else None
        if x.get("taxon_confidence") is not None and verdict is not None:
            given.append((float(x["taxon_confidence"]), verdict == "right"))  # type: ignore[arg-type]
    rows = []
    for low, high in itertools.pairwise(RELIABILITY_BINS):
        inside = [(c, ok) for c, ok in given if low <= c < high or c == high == RELIABILITY_BINS[-1]]
        rows.append({
            "bin": f"{low:.1f}–{high:.1f}",
            "named": len(inside),
            "right": sum(ok for _, ok in inside),
            "mean_confidence": round(sum(c for c, _ in inside) / len(inside), 3) if inside else None,
        })  # fmt: skip
    return rows


def load_cache(path: Path) -> dict[str, dict[str, object]]:
    """The readings cache at ``path`` ({} when there is none yet); ValueError in one line when it is not one
    (not JSON, not an object of sheets, a sheet without its lines, readings that are not texts and their lines,
    line confidences that are not a number a line)."""
    if not path.exists():
        return {}
    try:
        cache = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"readings cache {path} is not JSON: {e}") from None
    if not isinstance(cache, dict):
        raise ValueError(f"readings cache {path} is not an object of sheets")
    for name, reading in cache.items():
        if not isinstance(reading, dict) or not isinstance(reading.get("lines"), list):
            raise ValueError(f"readings cache {path}: sheet {name!r} has no list of lines")
        readings = reading.get("readings")
        if readings is not None and not (
            isinstance(readings, list) and len(readings) == 2 and all(isinstance(x, list) for x in readings)
            and len(readings[0]) == len(readings[1])
        ):  # fmt: skip
            raise ValueError(f"readings cache {path}: sheet {name!r} has readings that are not [texts, lines]")
        confidences = reading.get("line_confidences")
        if confidences is not None and not (
            isinstance(confidences, list) and len(confidences) == len(reading["lines"])
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in confidences)
        ):  # fmt: skip
            raise ValueError(
                f"readings cache {path}: sheet {name!r} has line_confidences that are not a number a line"
            )
    return cache


def ocr_overrides(pairs: list[str]) -> dict[str, object]:
    """``KEY=VALUE`` pairs (values read as YAML) as checked ``ocr`` settings; ValueError names the bad one."""
    import yaml

    from herbproc.ocr.settings import ocr_settings

    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--ocr {pair!r}: expected KEY=VALUE")
        out[key.strip()] = yaml.safe_load(value)
    ocr_settings(**out)
    return out


def run_set(
    label: str,
    sheets: list[tuple[Path, dict[str, str]]],
    names_file: Path | None,
    threads: int,
    cache: dict[str, dict[str, object]] | None = None,
    overrides: dict[str, object] | None = None,
    collectors_without_truth: bool = False,
    record_genus: bool = False,
) -> dict[str, object]:
    """Read and score one set; with ``cache`` (sheet name → reading), sheets in it are not read again and
    the others' readings are added to it. ``names_file`` None: no taxonomy (the name by rules alone).
    ``collectors_without_truth``: each sheet read against ``ocr.collectors_file``'s list less its own collectors
    (``without_own_collectors``). ``record_genus``: each sheet's record gives its gold name's genus, as a
    record identified to genus only does (``ocr.record_genus``)."""
    from herbproc.fields import TaxonIndex
    from herbproc.fields.collectors import CollectorIndex
    from herbproc.ocr.barcodes import read_barcodes
    from herbproc.ocr.reader import TAXON_TERMS, LabelReader, every_reading
    from herbproc.ocr.settings import ocr_settings
    from herbproc.store.decode import decode_original

    settings = ocr_settings(**(overrides or {}))
    t0 = time.perf_counter()
    names = TaxonIndex(names_file) if names_file is not None else None
    collectors = CollectorIndex.from_file(settings.collectors_file) if settings.collectors_file else None
    reader = None
    load_s = time.perf_counter() - t0
    predictions, per_sheet, seconds = [], [], []
    for path, truth in sheets:
        t = time.perf_counter()
        if cache is not None and path.name in cache:
            reading = cache[path.name]
            if "barcodes" not in reading and settings.barcodes:  # a cache from before ocr.barcodes
                image = decode_original(path.read_bytes(), int(settings.max_pixels))
                reading["barcodes"] = read_barcodes(image)
        else:
            if reader is None:
                reader = LabelReader(settings, names=names, threads=threads)
            image = decode_original(path.read_bytes(), int(settings.max_pixels))
            result = reader.read(image)
            full = result.darwin_core(settings.min_confidence)
            reading = {
                "lines": result.texts,
                "cards": [ln.label for ln in result.lines],
                "taxon": {t: full.get(t, "") for t in TAXON_TERMS},
                "readings": list(every_reading(result.lines)),
                "line_confidences": [round(float(ln.confidence), 4) for ln in result.lines],
                "barcodes": result.barcodes,
                "bars_fit": list(result.bars_fit) if result.bars_fit else None,
            }
            if cache is not None:
                cache[path.name] = reading
        listed = collectors
        if collectors is not None and collectors_without_truth:
            listed = without_own_collectors(collectors, truth.get("recordedBy", ""))
        genus = truth_genus(truth.get("scientificName", "")) if record_genus else ""
        row, taxon_confidence, field_confidences, line_confidences = replay(reading, names, settings, listed, genus)
        seconds.append(time.perf_counter() - t)
        predictions.append(row)
        per_sheet.append({
            "image": path.name,
            "seconds": round(seconds[-1], 2),
            "truth": {t: truth.get(t, "") for t in TERMS},
            "predicted": {t: row.get(t, "") for t in TERMS},
            "taxon_confidence": taxon_confidence,
            "field_confidences": field_confidences,
            "field_line_confidences": line_confidences,
            "lines": reading["lines"],
        })  # fmt: skip
        print(f"  {path.name}: {seconds[-1]:.1f} s", file=sys.stderr, flush=True)
    scores = score([t for _, t in sheets], predictions)
    mean_s = sum(seconds) / len(seconds) if seconds else 0.0
    print(f"\n== {label}: {len(sheets)} sheets, {mean_s:.1f} s per sheet (+ {load_s:.1f} s loading), "
          f"{threads} thread(s)")  # fmt: skip
    print(format_table(scores))
    by_code = score([t for _, t in sheets], predictions, by_code=True)
    print("\nby code (country as ISO 3166-1, stateProvince as ISO 3166-2, St. = Saint in place names; "
          "the other terms as above):")  # fmt: skip
    print(format_table({t: by_code[t] for t in ("country", "stateProvince", "county")}))
    table = reliability(per_sheet)
    print("\nthe taxon confidence against the truth (names given on sheets that name one): "
          + "; ".join(f"{r['bin']}: {r['right']}/{r['named']} right" + (f" (mean {r['mean_confidence']:.2f})"
                      if r["named"] else "") for r in table))  # fmt: skip
    means = {"strict": mean_right_rate(scores), "by_code": mean_right_rate(by_code)}
    print("mean per-term accuracy (right rate over the terms with a scored sheet): "
          + ", ".join(f"{k} {v:.1%}" for k, v in means.items() if v is not None))  # fmt: skip
    return {
        "set": label,
        "sheets": len(sheets),
        "seconds_per_sheet": round(mean_s, 2),
        "load_seconds": round(load_s, 2),
        "threads": threads,
        "terms": {t: s.to_json() for t, s in scores.items()},
        "terms_by_code": {t: s.to_json() for t, s in by_code.items()},
        "mean_right_rate": {k: None if v is None else round(v, 4) for k, v in means.items()},
        "taxon_reliability": table,
        "field_calibration": settings.field_calibration,
        "taxonomy": names is not None,
        "collectors": None if collectors is None else len(collectors),
        "collectors_without_truth": collectors_without_truth,
        "record_genus": record_genus,
        "per_sheet": per_sheet,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fixtures", type=Path, default=default_fixtures(), help="the shared fixtures folder")
    p.add_argument(
        "--truth", type=Path, default=TRUTH, help="hand-checked truth of the real_sheets thumbnails"
    )
    p.add_argument(
        "--more-truth", type=Path, default=MORE_TRUTH, help="truth of the more_sheets held-out set"
    )
    p.add_argument(
        "--more-folder",
        type=Path,
        help="the images --more-truth names (default <fixtures>/more_sheets): another hand-checked set",
    )
    p.add_argument(
        "--set", choices=("aocr", "real", "more", "both", "all"), default="both", help="both: aocr and real"
    )
    p.add_argument(
        "--aocr-folder",
        type=Path,
        help="gold sheets in the aocr_gold layout (images/, parsed/; names.txt, or the gold's names and their "
        "near misses): default <fixtures>/aocr_gold",
    )
    p.add_argument(
        "--no-names",
        action="store_true",
        help="read without a taxonomy: the name as the rules find it (herbproc ocr without --names)",
    )
    p.add_argument(
        "--without-truth-names",
        action="store_true",
        help="leave the sheets' own names out of the candidates: every name given is wrong (an open list)",
    )
    p.add_argument(
        "--collectors",
        type=Path,
        help="the herbarium's collectors, one per line (ocr.collectors_file): recordedBy read against them",
    )
    p.add_argument(
        "--collectors-without-truth",
        action="store_true",
        help="with --collectors: each sheet's own collectors left out of the list (every collector found is "
        "then wrong: the false finds)",
    )
    p.add_argument(
        "--record-genus",
        action="store_true",
        help="with --no-names: each sheet's record gives its gold name's genus, as a record identified to genus "
        "only (ocr.record_genus): a name read with that genus misread is written with the record's",
    )
    p.add_argument("--limit", type=int, default=0, help="the first N sheets of each set (0: all)")
    p.add_argument("--threads", type=int, default=2, help="onnxruntime threads")
    p.add_argument("--json", type=Path, help="write the figures and every sheet's fields here")
    p.add_argument(
        "--readings-cache", type=Path, help="JSON of every sheet's read lines: written once, then reused"
    )
    p.add_argument(
        "--ocr",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an ocr setting for this run's readings (YAML value), e.g. --ocr label_detail=2.0; repeatable",
    )
    args = p.parse_args(argv)
    if args.collectors is not None:
        from herbproc.fields.collectors import CollectorIndex

        try:
            CollectorIndex.from_file(args.collectors)
        except (OSError, ValueError) as e:
            p.error(f"--collectors: {e}")
        args.ocr.append(f"collectors_file={args.collectors}")
    elif args.collectors_without_truth:
        p.error("--collectors-without-truth needs --collectors")
    if args.record_genus and not args.no_names:
        p.error("--record-genus needs --no-names (a record kept without a name is read without the taxonomy)")
    try:
        overrides = ocr_overrides(args.ocr)
    except ValueError as e:
        p.error(str(e))
    if not args.fixtures.is_dir():
        p.error(f"fixtures folder not found: {args.fixtures}")
    more_folder = args.more_folder or args.fixtures / "more_sheets"
    if args.set in ("more", "all"):
        if not more_folder.is_dir():
            p.error(f"folder of the more set not found: {more_folder}")
        if not args.more_truth.is_file():
            p.error(f"truth file of the more set not found: {args.more_truth}")
    aocr_folder = args.aocr_folder or args.fixtures / "aocr_gold"
    if args.set in ("aocr", "both", "all") and not (aocr_folder / "parsed").is_dir():
        p.error(f"no parsed/ gold folder in {aocr_folder}")
    cache = None
    if args.readings_cache:
        try:
            cache = load_cache(args.readings_cache)
        except ValueError as e:
            p.error(str(e))
    out = []

    def listed(names: list[str], sheets: list[tuple[Path, dict[str, str]]]):
        return names_listed(without_truth(names, sheets) if args.without_truth_names else names, not args.no_names)

    if args.set in ("aocr", "both", "all"):
        sheets = aocr_truth(aocr_folder)
        with listed(gold_candidates(aocr_folder, sheets), sheets) as names_file:
            out.append(run_set(aocr_folder.name, sheets[: args.limit or None], names_file, args.threads, cache, overrides, args.collectors_without_truth, args.record_genus))
    if args.set in ("real", "both", "all"):
        folder = args.fixtures / "real_sheets"
        sheets = [(path, row) for path, row in real_truth(folder, args.truth) if path.suffix == ".jpeg"]
        sheets = sheets[: args.limit or None]
        names = sorted({re.sub(r"\d+$", "", path.stem) for path, _ in sheets})
        if args.without_truth_names:  # the set's list is its own names: their near misses take their place
            names = [*names, *near_misses(names)]
        with listed(names, sheets) as names_file:
            out.append(run_set("real_sheets", sheets, names_file, args.threads, cache, overrides, args.collectors_without_truth, args.record_genus))
    if args.set in ("more", "all"):
        sheets = real_truth(more_folder, args.more_truth)[: args.limit or None]
        if not sheets:
            p.error(f"no image of {more_folder} is named in {args.more_truth}")
        names = truth_names(sheets)
        with listed([*names, *near_misses(names)], sheets) as names_file:
            out.append(run_set(more_folder.name, sheets, names_file, args.threads, cache, overrides, args.collectors_without_truth, args.record_genus))
    if cache is not None:
        args.readings_cache.write_text(json.dumps(cache, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
