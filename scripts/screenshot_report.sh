#!/usr/bin/env bash
# Render a run report in headless Chromium and save a screenshot: [HEIGHT=px] bash scripts/screenshot_report.sh RUN_DIR [OUT.png]
# (Debian: apt-get install chromium). Used to check that the report looks right in a real browser.
set -euo pipefail
run_dir=$(cd "$1" && pwd)
out=${2:-$run_dir/report/screenshot.png}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --disable-quic --user-data-dir="$profile" --window-size=1280,${HEIGHT:-2400} \
  --screenshot="$out" "file://$run_dir/report/index.html" 2>/dev/null
echo "$out"
