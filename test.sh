#!/usr/bin/env bash
# Run herbproc's tests. As root, it first installs and starts a real one-machine SLURM and Grid Engine
# (hpc/localcluster/*.sh) so the scheduler tests run for real; otherwise those tests are skipped with a message.
# Extra arguments go to pytest (e.g. ./test.sh -k slurm -x).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
main test
if [ "$(id -u)" = 0 ] && [ "${HERBPROC_NO_CLUSTERS:-0}" != 1 ]; then
  bash hpc/localcluster/slurm.sh install >/dev/null
  bash hpc/localcluster/slurm.sh start >/dev/null
  bash hpc/localcluster/sge.sh install >/dev/null
  bash hpc/localcluster/sge.sh start >/dev/null
  export HERBPROC_REQUIRE_CLUSTERS=1
fi
exec .venv/bin/python -m pytest "$@"
