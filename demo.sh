#!/usr/bin/env bash
# The whole herbproc pipeline on the built-in synthetic herbarium: generate sheets, serve them over local HTTP,
# ingest, download, mask, train, predict, read the labels, predict phenology, write the report.
# Extra arguments are passed to jobs/launch.py (e.g. ./demo.sh run_dir=/scratch/demo cluster=slurm wait=true).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
main
exec .venv/bin/python jobs/launch.py stage=pipeline data=demo run_dir=runs/demo "$@"
