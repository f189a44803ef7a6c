#!/usr/bin/env python
"""Show where a run stands: the same command as ``herbproc status``.

    python jobs/status.py run_dir=<dir> [format=text|json]

Per stage: shards done / running / failed / pending, items done and failed, items per second, ETA, and for each
failed shard the reason and the last lines of its log. Asks each scheduler once for the whole run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hpc.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["status", *sys.argv[1:]]))
