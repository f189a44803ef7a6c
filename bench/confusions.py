#!/usr/bin/env python
"""How the label reader misreads, and how sure its taxon names are.

read       read sheets once with ``LabelReader`` (PP-OCR, the defaults) and keep their lines (every reading) in a
           pickle, so that the steps below resolve names again without OCR: synthetic sheets at thumbnail size
           (``--seed``, ``--sheets``, ``--width 500``, a share of them blurred / downsampled as thumbnails are),
           the 13 real thumbnails (``--real``), the 30 AOCR gold sheets (``--aocr``; ``--aocr-folder``: other
           gold sheets in that layout, as ``bench/aocr.py --aocr-folder``) or the 42 held-out sheets of
           ``more_sheets`` (``--more``: their names and near-miss congeners, as ``bench/aocr.py --set more``).
table      the character-confusion table of the reader, from the synthetic sheets' (truth line, reading) pairs:
           Levenshtein alignment, substitution / insertion / deletion counts per character, add-one smoothing,
           the top confusions kept as costs −log P; writes ``herbproc/fields/data/ocr_confusions.json``.
calibrate  fits the taxon confidence (a logistic map of the resolver's margin) on held-out synthetic sheets,
           stores it in the same JSON and prints reliability tables on every cache given.

    python bench/confusions.py read --seed 1 --sheets 40 --out /tmp/wt6/synth1.pkl
    python bench/confusions.py read --seed 3 --sheets 40 --out /tmp/wt6/synth3.pkl
    python bench/confusions.py read --seed 2 --sheets 40 --out /tmp/wt6/synth2.pkl   # held out
    python bench/confusions.py read --real --out /tmp/wt6/real.pkl
    python bench/confusions.py read --aocr --out /tmp/wt6/aocr.pkl
    python bench/confusions.py read --more --out /tmp/wt6/more.pkl
    python bench/confusions.py table /tmp/wt6/synth1.pkl /tmp/wt6/synth3.pkl
    python bench/confusions.py calibrate --fit /tmp/wt6/synth1.pkl /tmp/wt6/synth3.pkl --set name_similarity=confusion
    python bench/confusions.py calibrate --fit /tmp/wt6/synth1.pkl /tmp/wt6/synth3.pkl \
        --report /tmp/wt6/synth2.pkl /tmp/wt6/real.pkl /tmp/wt6/aocr.pkl
    python bench/confusions.py calibrate --report /tmp/wt6/synth2.pkl --twins 2 --twin-authors \
        --set label_evidence=false          # twins with other authorships: what ocr.label_evidence can use
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "herbproc" / "fields" / "data" / "ocr_confusions.json"
FIXTURES = Path("/work/shared/fixtures")
TOP = 120  # confusions kept in the table


def _read(args: argparse.Namespace) -> None:
    from herbproc.fields import TaxonIndex
    from herbproc.ocr.evaluate import line_errors
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings

    sheets = []  # (id, truth names, names list, lines, (ref, hyp) pairs)
    if args.real or args.aocr or args.more:

        from herbproc.mask.stage import decode_original

        if args.more:
            from aocr import ALTERNATIVES, MORE_TRUTH, near_misses, real_truth, truth_names

            rows = real_truth(FIXTURES / "more_sheets", MORE_TRUTH)
            files = [path for path, _ in rows]
            truths = [[n.strip() for n in row["scientificName"].split(ALTERNATIVES) if n.strip()] for _, row in rows]
            names = truth_names(rows)
            names = [*names, *near_misses(names)]
        elif args.real:
            files = sorted((FIXTURES / "real_sheets").glob("*.jpeg"))
            truths = [[re.sub(r"\d+$", "", p.stem)] for p in files]
            names = [t[0] for t in truths]
        else:
            from aocr import (  # how the gold names a sheet
                aocr_names,
                aocr_sheets,
                aocr_truth,
                gold_candidates,
            )

            folder = args.aocr_folder or FIXTURES / "aocr_gold"
            gold = aocr_sheets(folder)
            files, truths = [image for image, _ in gold], [aocr_names(rows) for _, rows in gold]
            names = gold_candidates(folder, aocr_truth(folder))
        reader = LabelReader(ocr_settings(), names=TaxonIndex(names), threads=args.threads)
        for path, truth in zip(files, truths, strict=True):
            t = time.perf_counter()
            image = decode_original(path.read_bytes(), 150_000_000)
            result = reader.read(image)
            print(f"{path.name}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
            sheets.append((path.name, truth, result.lines, []))
    else:
        from herbproc.synth import make_world, render_sheet

        per = -(-args.sheets // args.species)
        for part, degrade in enumerate(({}, {"blur": 0.8, "downsample": 1.5})):
            n = args.sheets // 2 if part == 0 else args.sheets - args.sheets // 2
            synth = {"species": args.species, "sheets_per_species": per, "width": args.width,
                     "height": round(args.width * 1.5), **degrade}  # fmt: skip
            world = make_world(synth, seed=args.seed * 10 + part)
            names = sorted({r["scientificName"] for r in world.records()})
            reader = LabelReader(ocr_settings(), names=TaxonIndex(names), threads=args.threads)
            for i in range(n):
                sheet = render_sheet(world, i)
                t = time.perf_counter()
                result = reader.read(sheet.image)
                print(f"synthetic {part}/{i}: {time.perf_counter() - t:.1f} s", file=sys.stderr, flush=True)
                pairs = [(r, h) for r, h, _ in line_errors(sheet.truth, [ln.to_json() for ln in result.lines])]
                truth = [sheet.truth["species"]["scientificName"]]
                sheets.append((f"s{args.seed}-{part}-{i}", truth, result.lines, pairs, names))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.real or args.aocr or args.more:
        sheets = [(*s, names) for s in sheets]
    out.write_bytes(pickle.dumps(sheets))
    print(f"{len(sheets)} sheets -> {out}")


def _table(args: argparse.Namespace) -> None:
    from rapidfuzz.distance import Levenshtein

    from herbproc.fields.text import fold

    sub: Counter[tuple[str, str]] = Counter()
    seen: Counter[str] = Counter()
    pairs = 0
    for cache in args.caches:
        for _id, _truth, _lines, line_pairs, _names in pickle.loads(Path(cache).read_bytes()):
            for ref, hyp in line_pairs:
                if not hyp:
                    continue
                ref, hyp = _norm(fold(ref)), _norm(fold(hyp))
                if Levenshtein.normalized_distance(ref, hyp) > 0.5:  # mis-paired line, not a misreading
                    continue
                pairs += 1
                seen.update(ref)
                seen["^"] += len(ref) + 1  # insertion slots
                for op, i, j in Levenshtein.editops(ref, hyp):
                    if op == "replace":
                        sub[ref[i], hyp[j]] += 1
                    elif op == "delete":
                        sub[ref[i], ""] += 1
                    else:
                        sub["", hyp[j]] += 1
    # P(read b | truth a) with add-one smoothing over an alphabet of ~40 outcomes; cost = −log P relative to the
    # cost of a generic error (so a common confusion costs < 1 edit, a never-seen one 1).
    outcomes = 40
    costs = {}
    generic = []
    for (a, b), n in sub.items():
        base = seen["^"] if a == "" else seen[a]
        p = (n + 1) / (base + outcomes)
        costs[(a, b)] = p
    for a, n in seen.items():
        if a != "^":
            generic.append(1 / (n + outcomes))
    p_generic = sorted(generic)[len(generic) // 2] if generic else 1e-3
    top = sorted(costs.items(), key=lambda kv: -sub[kv[0]])[:TOP]
    table = {}
    for (a, b), p in top:
        if sub[a, b] < 3:
            continue
        cost = max(0.15, min(1.0, math.log(p) / math.log(p_generic)))
        table[f"{a}>{b}"] = round(cost, 3)
    data = _load_json()
    data.update({
        "about": "Character confusions of herbproc's PP-OCR reader on synthetic label lines at thumbnail size "
                 "(cost of an edit relative to a generic one, 1.0) and the taxon-confidence calibration per "
                 "ocr.name_similarity. Regenerate: python bench/confusions.py read --seed S --sheets 40 --out "
                 "/tmp/wt6/synthS.pkl, then python bench/confusions.py table " + " ".join(args.caches) + " and "
                 "calibrate --fit (docs/benchmarks.md, 'Confusion-aware names and calibrated confidence').",
        "lines": pairs,
        "characters": sum(v for k, v in seen.items() if k != "^"),
        "costs": table,
    })  # fmt: skip
    _save_json(data)
    print(f"{pairs} line pairs, {len(table)} confusions -> {TABLE}")
    for k, v in list(table.items())[:40]:
        print(f"  {k!r}: {v}  (n={sub[tuple(k.split('>'))]})")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _load_json() -> dict:
    return json.loads(TABLE.read_text()) if TABLE.is_file() else {}


def _save_json(data: dict) -> None:
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    TABLE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def genus_twins(names: list[str], rng, families: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """For each name a look-alike in another genus, one letter of the genus changed (``Rubus`` → ``Rabus``), with
    the same epithet and authorship, placed in another family of the synthetic world: two genera that read alike,
    which only the label's family line (or the prior) can tell apart."""
    from herbproc.fields import parse_name

    letters = "aeiounrtls"
    others = sorted(set(families.values()))
    out, fams = [], {}
    for name in names:
        parsed = parse_name(name)
        if parsed is None or not parsed.specific_epithet or parsed.genus not in families:
            continue
        g = parsed.genus
        k = int(rng.integers(1, len(g)))
        twin = g[:k] + str(rng.choice([c for c in letters if c != g[k]])) + g[k + 1 :]
        if twin in families:
            continue
        fams[twin] = str(rng.choice([f for f in others if f != families[g]]))
        out.append(f"{twin} {parsed.specific_epithet} {parsed.authorship}".strip())
    return out, fams


def resolve_cached(
    caches: list[str], twins: int = 0, twin_authors: bool = False, genera: bool = False, **settings: object
) -> list[tuple[str, list[str], object]]:
    """(sheet id, truth names, TaxonResolution) per cached sheet, resolved with ``settings`` (ocr.*); ``twins``
    near-miss congeners per name added to the candidates (bench/ocr.py's ``twin_names``, ``twin_authors``: each
    with another authorship; ``genera``: also a look-alike genus per name, ``genus_twins``). Synthetic sheets'
    names know their families (the synthetic world's genera)."""
    import numpy as np
    from ocr import twin_names

    from herbproc.fields import TaxonIndex
    from herbproc.ocr.reader import LabelReader
    from herbproc.ocr.settings import ocr_settings

    out = []
    for cache in caches:
        indexes: dict[tuple[str, ...], TaxonIndex] = {}
        for sid, truth, lines, _pairs, names in pickle.loads(Path(cache).read_bytes()):
            key = tuple(names)
            if key not in indexes:
                rng = np.random.default_rng(len(names))
                extra = twin_names(sorted(names), twins, rng, twin_authors) if twins else []
                families = _synthetic_families() if sid.startswith("s") and "-" in sid else None
                if genera and families:
                    more, twin_families = genus_twins(sorted(names), rng, families)
                    extra, families = [*extra, *more], {**families, **twin_families}
                indexes[key] = TaxonIndex([*names, *extra], families)
            reader = LabelReader(ocr_settings(**settings), names=indexes[key], engines=[])
            out.append((sid, truth, reader.resolve(lines, None)))
    return out


def _synthetic_families() -> dict[str, str]:
    from herbproc.synthetic.names import FAMILIES

    return {genus: family for family, _order, _class, genera in FAMILIES for genus, _, _ in genera}


def _right(name: str | None, truth: list[str]) -> bool:
    from herbproc.ocr.evaluate import same_taxon

    return bool(name) and any(same_taxon(name, t) for t in truth)


def _calibrate(args: argparse.Namespace) -> None:
    import numpy as np

    settings = dict(kv.split("=", 1) for kv in args.set)
    settings = {k: json.loads(v) if v[:1].isdigit() or v in ("true", "false") else v for k, v in settings.items()}
    if args.fit:
        rows = resolve_cached(args.fit, args.twins, args.twin_authors, args.genus_twins,
                              **{**settings, "taxon_calibration": False})  # fmt: skip
        x, y = [], []
        for _sid, truth, found in rows:
            if found.candidates:
                x.append((found.margin, found.none_margin))
                y.append(_right(found.candidates[0].name, truth))
        a, c, d = _fit(np.array(x), np.array(y, dtype=float))
        data = _load_json()
        data.setdefault("calibration", {})[settings.get("name_similarity", "plain")] = {"a": round(a, 4), "c": round(c, 4), "d": round(d, 4), "sheets": len(x),
                               "fitted_on": f"bench/confusions.py calibrate --fit {' '.join(args.fit)} "
                                            f"--twins {args.twins}"}  # fmt: skip
        _save_json(data)
        print(f"calibration on {len(x)} sheets ({int(sum(y))} right): P(right) = sigmoid({a:.3f} * margin) * "
              f"sigmoid({c:.3f} * none_margin + {d:.3f})")
    for cache in args.report:
        twins = args.twins if "synth" in Path(cache).name else 0
        rows = resolve_cached([cache], twins, args.twin_authors, args.genus_twins, **settings)
        print(f"\n{cache}: {len(rows)} sheets")
        _reliability(rows)


def _fit(x, y) -> tuple[float, float, float]:
    """Maximum likelihood of P(right) = sigmoid(a · margin) · sigmoid(c · none_margin + d) (a, c ≥ 0; lightly
    regularised)."""
    import numpy as np
    from scipy.optimize import minimize

    def loss(t):
        a, c, d = t
        p = 1 / (1 + np.exp(-a * x[:, 0])) / (1 + np.exp(-(c * x[:, 1] + d)))
        p = np.clip(p, 1e-9, 1 - 1e-9)
        return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) + 1e-3 * (a * a + c * c + d * d)

    best = minimize(loss, [20.0, 20.0, 1.0], bounds=[(0, 500), (0, 500), (-20, 20)], method="L-BFGS-B")
    return tuple(float(v) for v in best.x)


def _reliability(rows: list) -> None:
    bins = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.99), (0.99, 1.01)]
    print("| confidence of the top candidate | sheets | top right | share right | mean confidence |")
    print("|---|---:|---:|---:|---:|")
    for lo, hi in bins:
        sel = [(sid, t, f) for sid, t, f in rows if f.candidates and lo <= f.confidence < hi]
        right = sum(_right(f.candidates[0].name, t) for _, t, f in sel)
        share = f"{right / len(sel):.2f}" if sel else "–"
        mean = f"{sum(f.confidence for _, _, f in sel) / len(sel):.3f}" if sel else "–"
        print(f"| {lo:.2f}–{min(hi, 1):.2f} | {len(sel)} | {right} | {share} | {mean} |")
    print("| given at confidence ≥ | named | right | wrong |")
    print("|---:|---:|---:|---:|")
    for p in (0.0, 0.5, 0.8, 0.9, 0.95, 0.98):
        named = [(t, f) for _, t, f in rows if f.name and f.confidence >= p]
        wrong = sum(not _right(f.name, t) for t, f in named)
        print(f"| {p:.2f} | {len(named)} | {len(named) - wrong} | {wrong} |")
    named = [(t, f) for _, t, f in rows if f.name]
    wrong = sum(not _right(f.name, t) for t, f in named)
    print(f"named {len(named)} / {len(rows)}, right {len(named) - wrong}, wrong {wrong}, "
          f"abstained {len(rows) - len(named)}")  # fmt: skip
    for sid, t, f in rows:
        if f.name and not _right(f.name, t):
            print(f"  WRONG {sid}: {f.name} ({f.confidence:.3f}) truth {t}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("read")
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--sheets", type=int, default=40)
    r.add_argument("--species", type=int, default=20)
    r.add_argument("--width", type=int, default=500)
    r.add_argument("--real", action="store_true")
    r.add_argument("--aocr", action="store_true")
    r.add_argument("--aocr-folder", type=Path, help="with --aocr: gold sheets in the aocr_gold layout")
    r.add_argument("--more", action="store_true")
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("caches", nargs="+")
    c = sub.add_parser("calibrate")
    c.add_argument("--fit", nargs="*", default=[])
    c.add_argument("--report", nargs="*", default=[])
    c.add_argument("--twins", type=int, default=2, help="near-miss congeners per name on synthetic sheets")
    c.add_argument("--twin-authors", action="store_true", help="each twin with another authorship")
    c.add_argument("--genus-twins", action="store_true", help="also a look-alike genus of another family per name")
    c.add_argument("--set", nargs="*", default=[], help="ocr settings, key=value")
    args = p.parse_args()
    if args.cmd == "read" and args.aocr_folder and not (args.aocr_folder / "parsed").is_dir():
        p.error(f"no parsed/ gold folder in {args.aocr_folder}")
    {"read": _read, "table": _table, "calibrate": _calibrate}[args.cmd](args)


if __name__ == "__main__":
    main()
