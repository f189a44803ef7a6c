"""stage=ingest on a big generated GBIF archive against a bare pyarrow streaming read of its occurrence.txt.

``python bench/ingest.py --records 1000000`` generates (once) an archive with ``bench/make_big_dwca.py`` in
``--dir`` (default /tmp), then runs, each in its own process, one after the other, ``--repeats`` times:

- ``pyarrow``: ``pyarrow.csv.open_csv`` over occurrence.txt read from the zip, all 241 columns as text, every
  batch dropped as it comes (what the issue calls a bare pyarrow streaming read);
- ``ingest``: ``stage=ingest`` (``ingest`` + ``write_outputs``: manifest.parquet, classes.csv, drop tables);
- ``in-memory`` (``--in-memory``): the same with the archive read into memory (``ingest(cfg, streaming=False)``),
  the path every archive took before.

Peak resident set of each process from ``os.wait4`` (ru_maxrss), wall seconds, and the ratio ingest / pyarrow.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PYARROW_READ = """
import sys, zipfile, pyarrow as pa, pyarrow.csv as pacsv
with zipfile.ZipFile(sys.argv[1]) as z, z.open("occurrence.txt") as f:
    header = f.readline().decode().rstrip("\\n").split("\\t")
    reader = pacsv.open_csv(
        f,
        read_options=pacsv.ReadOptions(column_names=header, block_size=32 << 20),
        parse_options=pacsv.ParseOptions(delimiter="\\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header}),
    )
    rows = sum(batch.num_rows for batch in reader)
print(rows)
"""

INGEST = """
import sys
from herbproc.config import compose
from herbproc.gbif.stage import ingest, write_outputs
cfg = compose(["stage=ingest", f"run_dir={sys.argv[2]}", f"input={sys.argv[1]}"])
result = ingest(cfg, streaming=sys.argv[3] == "stream")
write_outputs(cfg, result)
print(result.records_in, result.n_images, len(result.classes), "streamed" if result.frame is None else "in-memory")
"""


def run(code: str, *args: str) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (GB) and stdout of ``python -c code args`` in its own process."""
    env = dict(os.environ, PYTHONPATH=f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, env=env, cwd=REPO)
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {code[:60]!r} {args}")
    return seconds, usage.ru_maxrss * 1024 / 1e9, out.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp"))
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--in-memory", action="store_true", help="also run the in-memory ingest (slow, big)")
    ap.add_argument("--no-verbatim", action="store_true")
    a = ap.parse_args(argv)
    archive = a.dir / f"herbproc-bench-dwca-{a.records}.zip"
    if not archive.exists():
        cmd = [sys.executable, str(REPO / "bench" / "make_big_dwca.py"), "--records", str(a.records)]
        cmd += ["--out", str(archive)] + (["--no-verbatim"] if a.no_verbatim else [])
        subprocess.run(cmd, check=True)
    print(f"{platform.node()} {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {archive}")
    rows = []
    for rep in range(a.repeats):
        for name in ("pyarrow", "ingest", *(["in-memory"] if a.in_memory else [])):
            run_dir = a.dir / f"herbproc-bench-run-{os.getpid()}-{name}"
            subprocess.run(["rm", "-rf", str(run_dir)], check=True)
            if name == "pyarrow":
                sec, gb, out = run(PYARROW_READ, str(archive))
            else:
                sec, gb, out = run(
                    INGEST, str(archive), str(run_dir), "stream" if name == "ingest" else "mem"
                )
            subprocess.run(["rm", "-rf", str(run_dir)], check=True)
            rows.append((rep, name, sec, gb, out))
            print(f"  round {rep + 1} {name:9s} {sec:7.1f} s  peak RSS {gb:5.2f} GB  ({out})", flush=True)
    best = {}
    for _, name, sec, gb, _ in rows:
        s0, g0 = best.get(name, (1e18, 0.0))
        best[name] = (min(s0, sec), max(g0, gb))
    base = best["pyarrow"][0]
    print(f"\n{a.records} records, best of {a.repeats} (load average now {os.getloadavg()[0]:.1f}):")
    for name, (sec, gb) in best.items():
        print(f"  {name:9s} {sec:7.1f} s  {sec / base:4.2f}x pyarrow   peak RSS {gb:5.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
