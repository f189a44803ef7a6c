#!/usr/bin/env python
"""The classifier prior on real sheets, with a classifier trained on real sheets (issue 12, item 4).

A folder run of herbproc's own stages (``input=<folder> ingest.labels_csv=...``, data=gbif_small: ingest ->
download -> mask -> train -> evaluate -> predict -> ocr) on the real sheets of ``<fixtures>``:

* the 18 ``more_sheets/harvard-herbaria__*`` sheets: 9 species with 2 sheets each (genus + species from the
  file name, a database determination);
* distractor classes with one sheet each: the 13 Harvard thumbnails of ``real_sheets`` (500 x 750) and the
  named LeafMachine sheets (``LM_Validate_LowRes_1`` and the ``more_sheets`` COLO sheets; ``--large`` adds the
  five 4000 x 6000 SWMT sheets).

``ingest.val_fraction=0 ingest.test_fraction=0.5``: of each two-sheet species one sheet is trained on, the other
is held out (split ``test``); one-sheet classes are all in ``train``. Two folds: the second run's seed is the
first seed whose split holds out, for every two-sheet species, the sheet the first run trained on, so each of the
18 sheets is held out once. Per fold: train a tiny IELT on the training split (from random weights: nothing
pretrained offline), ``evaluate`` on the test split (the classifier's own top-1 / top-5), ``predict`` every
sheet, then ``ocr`` twice on the same store: with the predictions as prior (the stage's default) and with
``ocr.use_prior=false``. Taxon scored by binomial against the file's name: right / wrong / abstained (empty).

    python bench/prior_real.py --out /tmp/prior_real                 # both folds (~15-25 min on 2 cores)
    python bench/prior_real.py --out /tmp/prior_real --folds 1 --epochs 5   # a quick look
    python bench/prior_real.py --out /tmp/prior_real --score-only   # score runs already done

Extra ``key=value`` arguments after ``--`` go to every launch (e.g. ``-- train.ielt.img_size=128``).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from herbproc.fields import parse_name  # noqa: E402
from herbproc.gbif.split import assign_labels_and_split  # noqa: E402

HARVARD_THUMB = re.compile(r"^(?P<name>[A-Z][a-z]+ .+?)\d+$")
HARVARD_PAIR = re.compile(r"^harvard-herbaria__(?P<genus>[A-Z][a-z]+)_(?P<epithet>[a-z-]+)\.")
LM_KNOWN = {"LM_Validate_LowRes_1": "Castanea dentata (Marsh.) Borkh."}  # the fixtures' README
STAGES = "[ingest,download,mask,train,evaluate,predict,ocr]"


@dataclass(frozen=True)
class Sheet:
    src: Path
    gid: str  # the run's gbifID (file stem in the folder)
    name: str  # the scientific name known for the sheet
    group: str  # pair | thumb | leafmachine


def binomial(name: str) -> str:
    parsed = parse_name(name or "")
    return parsed.binomial if parsed else ""


def collect(fixtures: Path, large: bool) -> list[Sheet]:
    sheets: list[Sheet] = []
    more = fixtures / "more_sheets"
    with open(more / "index.csv", newline="") as f:
        index = {r["file"]: r for r in csv.DictReader(f)}
    for i, path in enumerate(sorted(more.glob("harvard-herbaria__*.jpg"))):
        m = HARVARD_PAIR.match(path.name)
        if m:
            sheets.append(Sheet(path, f"pair{i:02d}", f"{m['genus']} {m['epithet']}", "pair"))
    for i, path in enumerate(sorted((fixtures / "real_sheets").iterdir())):
        m = HARVARD_THUMB.match(path.stem)
        if m:
            sheets.append(Sheet(path, f"thumb{i:02d}", m["name"].strip(), "thumb"))
        elif path.stem in LM_KNOWN:
            sheets.append(Sheet(path, f"lm{i:02d}", LM_KNOWN[path.stem], "leafmachine"))
    for i, (file, row) in enumerate(sorted(index.items())):
        if not file.startswith("LeafMachine__") or not row["scientific_name"]:
            continue
        if not large and int(row["width"]) > 2000:
            continue
        sheets.append(Sheet(more / file, f"lmm{i:02d}", row["scientific_name"], "leafmachine"))
    return sheets


def build_folder(sheets: list[Sheet], folder: Path) -> Path:
    """Copies of the sheets named ``<gbifID><suffix>`` and the labels CSV the folder ingest reads."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for s in sheets:
        dest = folder / f"{s.gid}{s.src.suffix.lower()}"
        if not dest.exists():
            shutil.copyfile(s.src, dest)
        words = s.name.split()
        rows.append({"file": dest.name, "scientificName": s.name, "genus": words[0],
                     "specificEpithet": words[1], "basisOfRecord": "PRESERVED_SPECIMEN"})  # fmt: skip
    labels = folder.parent / "labels.csv"
    with open(labels, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return labels


def held_out(sheets: list[Sheet], seed: int) -> set[str]:
    """The gbifIDs the ingest's split (val 0, test 0.5) puts in ``test`` at ``seed``."""
    import pandas as pd

    records = pd.DataFrame(
        {"gbifID": [s.gid for s in sheets], "label_name": [binomial(s.name) for s in sheets]}
    )
    split = assign_labels_and_split(records, val=0.0, test=0.5, seed=seed)
    return set(split.loc[split["split"] == "test", "gbifID"])


def complement_seed(sheets: list[Sheet], seed: int) -> int:
    first = held_out(sheets, seed)
    pairs = {s.gid for s in sheets if s.group == "pair"}
    for other in range(seed + 1, seed + 100_000):
        if held_out(sheets, other) == pairs - first:
            return other
    raise SystemExit("no seed found whose split is the complement of the first")


def launch(*args: str, log: Path) -> None:
    cmd = [sys.executable, str(REPO / "jobs" / "launch.py"), *args]
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        proc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"launch failed (exit {proc.returncode}); see {log}")


def near_miss_names(sheets: list[Sheet], path: Path) -> Path:
    """The sheets' names plus every pairing of their genera with their other epithets (as aocr_gold/names.txt
    is built): names the text must tell apart letter by letter, where a prior could decide."""
    names = list(dict.fromkeys(s.name for s in sheets))
    genera = sorted({binomial(n).split()[0] for n in names})
    epithets = sorted({binomial(n).split()[1] for n in names})
    real = {binomial(n) for n in names}
    extra = [f"{g} {e}" for g in genera for e in epithets if f"{g} {e}" not in real]
    path.write_text("\n".join(names + extra) + "\n")
    return path


def run_fold(
    out: Path,
    folder: Path,
    labels: Path,
    names: Path,
    seed: int,
    epochs: int | None,
    threads: int,
    extra: list[str],
) -> Path:
    run = out / f"fold-seed{seed}"
    log = out / f"fold-seed{seed}.log"
    common = ["data=gbif_small", f"run_dir={run}", "shards=1", f"seed={seed}", f"mask.threads={threads}",
              f"ocr.threads={threads}", f"train.threads={threads}", "train.keep_best=false",
              *([f"train.epochs={epochs}"] if epochs else [])]  # fmt: skip

    def keep(name: str) -> None:
        shutil.copyfile(run / "ocr" / "occurrences.csv", out / f"fold-seed{seed}.{name}.csv")
        shutil.copyfile(run / "ocr" / "results.parquet", out / f"fold-seed{seed}.{name}.parquet")

    launch("stage=pipeline", f"input={folder}", f"ingest.labels_csv={labels}", "ingest.val_fraction=0",
           "ingest.test_fraction=0.5", f"pipeline.stages={STAGES}", "evaluate.split=test", "ocr.use_prior=true",
           *common, *extra, log=log)  # fmt: skip
    keep("run.prior")
    for taxonomy, setting in (("run", []), ("nearmiss", [f"ocr.names_file={names}"])):
        for prior in (False, True) if taxonomy == "nearmiss" else (False,):
            launch("stage=ocr", "stage.rerun=true", f"ocr.use_prior={str(prior).lower()}", *setting, *common,
                   *extra, log=log)  # fmt: skip
            keep(f"{taxonomy}.{'prior' if prior else 'noprior'}")
    return run


def read_names(path: Path) -> dict[str, str]:
    with open(path, newline="") as f:
        return {r["gbifID"]: r.get("scientificName", "") for r in csv.DictReader(f)}


def prior_used(path: Path) -> set[str]:
    import pandas as pd

    t = pd.read_parquet(path, columns=["gbifID", "prior_used"])
    return set(t.loc[t["prior_used"], "gbifID"].astype(str))


def outcome(read: str, truth: str) -> str:
    if not binomial(read):
        return "abstained"
    return "right" if binomial(read) == binomial(truth) else "wrong"


TAXONOMIES = ("run", "nearmiss")


def score(out: Path, sheets: list[Sheet], seeds: list[int]) -> dict:
    import pandas as pd

    by_gid = {s.gid: s for s in sheets}
    rows = []
    classifier = []
    for seed in seeds:
        run = out / f"fold-seed{seed}"
        manifest = pd.read_parquet(run / "manifest.parquet")
        split = dict(zip(manifest["gbifID"], manifest["split"], strict=True))
        preds = pd.read_parquet(run / "predict" / "predictions.parquet")
        top = {str(g): (list(n), list(p)) for g, n, p in zip(preds["gbifID"], preds["topk_names"],
                                                              preds["topk_probs"], strict=True)}  # fmt: skip
        metrics = json.loads((run / "evaluate" / "metrics.json").read_text())
        classifier.append(
            {"seed": seed, **{k: metrics.get(k) for k in ("images", "classes", "top1", "k", "topk")}}
        )
        reads = {f"{t}.{p}": read_names(out / f"fold-seed{seed}.{t}.{p}.csv")
                 for t in TAXONOMIES for p in ("prior", "noprior")}  # fmt: skip
        used = {t: prior_used(out / f"fold-seed{seed}.{t}.prior.parquet") for t in TAXONOMIES}
        for gid, s in by_gid.items():
            if gid not in split:
                continue
            names, probs = top.get(gid, ([], []))
            truth = binomial(s.name)
            row = {
                "seed": seed, "gbifID": gid, "group": s.group, "split": split[gid], "truth": s.name,
                "top1": names[0] if names else "", "top1_p": round(probs[0], 3) if probs else None,
                "top1_right": bool(names) and binomial(names[0]) == truth,
                "top5_right": any(binomial(n) == truth for n in names[:5]),
            }  # fmt: skip
            for key, read in reads.items():
                row[key] = read.get(gid, "")
                row[f"{key}.outcome"] = outcome(read.get(gid, ""), s.name)
            for t in TAXONOMIES:
                row[f"{t}.prior_used"] = gid in used[t]
            rows.append(row)
    return {"classifier": classifier, "rows": rows}


def table(rows: list[dict], title: str) -> str:
    if not rows:
        return f"{title}: no sheets"
    n = len(rows)

    def count(key: str) -> str:
        c = {k: sum(r[key] == k for r in rows) for k in ("right", "wrong", "abstained")}
        return f"{c['right']:>3} / {c['wrong']:>3} / {c['abstained']:>3}"

    t1 = sum(r["top1_right"] for r in rows)
    t5 = sum(r["top5_right"] for r in rows)
    lines = [
        f"{title} ({n} sheet-readings): classifier top-1 {t1}/{n}, top-5 {t5}/{n}",
        f"  {'candidate names':<34} {'without prior (R/W/A)':>22} {'with prior (R/W/A)':>20}  changed  prior used",
    ]
    for t, label in (("run", "the run's names (pipeline default)"), ("nearmiss", "+ near-miss congeners")):
        changed = sum(r[f"{t}.noprior.outcome"] != r[f"{t}.prior.outcome"] for r in rows)
        used = sum(r[f"{t}.prior_used"] for r in rows)
        lines.append(
            f"  {label:<34} {count(f'{t}.noprior.outcome'):>22} {count(f'{t}.prior.outcome'):>20}"
            f"  {changed:>7}  {used:>10}"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0, help="the first fold's seed")
    ap.add_argument("--folds", type=int, choices=(1, 2), default=2)
    ap.add_argument("--epochs", type=int, default=None, help="train.epochs (default: data=gbif_small's)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--large", action="store_true", help="add the 4000 x 6000 SWMT sheets as distractors")
    ap.add_argument("--score-only", action="store_true")
    ap.add_argument("--json", type=Path, help="write every sheet's row here")
    ap.add_argument("extra", nargs="*", help="key=value settings for every launch (after --)")
    a = ap.parse_args()
    if not (a.fixtures / "more_sheets").is_dir():
        sys.exit(f"no fixtures at {a.fixtures} (give --fixtures)")
    sheets = collect(a.fixtures, a.large)
    seeds = [a.seed] + ([complement_seed(sheets, a.seed)] if a.folds == 2 else [])
    groups = {g: sum(s.group == g for s in sheets) for g in ("pair", "thumb", "leafmachine")}
    print(f"{len(sheets)} sheets {groups}; {len({binomial(s.name) for s in sheets})} species; seeds {seeds}")
    a.out.mkdir(parents=True, exist_ok=True)
    if not a.score_only:
        labels = build_folder(sheets, a.out / "sheets")
        names = near_miss_names(sheets, a.out / "nearmiss_names.txt")
        for seed in seeds:
            print(f"fold seed={seed}: held out {sorted(held_out(sheets, seed))}", flush=True)
            run_fold(a.out, a.out / "sheets", labels, names, seed, a.epochs, a.threads, a.extra)
    result = score(a.out, sheets, seeds)
    rows = result["rows"]
    for c in result["classifier"]:
        print(
            f"evaluate (split test) seed {c['seed']}: {c['images']} images, {c['classes']} classes, "
            f"top-1 {c['top1']}, top-{c['k']} {c['topk']}"
        )
    print(table([r for r in rows if r["split"] == "test"], "held out: the other sheet of a trained species"))
    print(
        table([r for r in rows if r["split"] == "train"], "trained on (the classifier saw this very sheet)")
    )
    for r in rows:
        differs = any(r[f"{t}.noprior.outcome"] != r[f"{t}.prior.outcome"] for t in TAXONOMIES)
        if differs or r["split"] == "test":
            print(
                f"  [{r['split']:5}] {r['gbifID']:8} {r['truth'][:28]:28} top1={r['top1'][:22]:22} p={r['top1_p']}"
                + "".join(
                    f" | {t}: {r[f'{t}.noprior'][:24]!r} -> {r[f'{t}.prior'][:24]!r}" for t in TAXONOMIES
                )
            )
    if a.json:
        a.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
