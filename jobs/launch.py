#!/usr/bin/env python
"""Launch a herbproc stage (or the whole pipeline) as sharded jobs.

    python jobs/launch.py stage=<name> shards=<N> run_dir=<dir> [cluster=local|slurm|sge|scc] [wait=true] [key=value ...]

dry_run=true prints the job scripts and the sbatch/qsub commands it would submit, and submits nothing.

Exit codes: 0 done (or submitted), 1 a shard failed, 2 configuration error, 3 the stage is already running.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from herbproc.config import ConfigError  # noqa: E402
from hpc.backends import SchedulerError  # noqa: E402
from hpc.launcher import LaunchError, launch  # noqa: E402
from hpc.task import setup_logging  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    setup_logging()
    try:
        return launch(argv)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except LaunchError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except SchedulerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; finished shards are kept, relaunch to continue", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
