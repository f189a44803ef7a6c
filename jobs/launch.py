#!/usr/bin/env python
"""Launch a herbproc stage (or the whole pipeline) as sharded jobs: the same command as ``herbproc launch``.

    python jobs/launch.py stage=<name> shards=<N> run_dir=<dir> [cluster=local|slurm|sge|scc] [wait=true] [key=value ...]

dry_run=true prints the job scripts and the sbatch/qsub commands it would submit, and submits nothing.

Exit codes: 0 done (or submitted), 1 a shard failed, 2 configuration error, 3 the stage is already running.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hpc.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["launch", *sys.argv[1:]]))
