#!/usr/bin/env bash
# Install what herbproc needs on this machine: Debian packages (fonts for the synthetic labels, Tesseract) when run
# as root, a virtual environment in .venv with herbproc and its Python dependencies. Safe to run again: each step is
# skipped when already done. Sourced by demo.sh and test.sh; `bash scripts/setup.sh [--test]` also works.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${HERBPROC_VENV:-$HERE/.venv}
PY=${PYTHON:-python3}
APT_PACKAGES="tesseract-ocr tesseract-ocr-eng fonts-dejavu-core fonts-freefont-ttf fonts-gnutypewriter
  fonts-courier-prime fonts-dkg-handwriting fonts-femkeklaver fonts-humor-sans fonts-dancingscript fonts-breip fonts-bwht"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

apt_packages() {
  local missing=()
  # installed, not merely known (a removed package keeps its status entry)
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "missing Debian packages (ask your admin or use sudo): ${missing[*]}"
    return 0
  fi
  log "apt-get install ${missing[*]}"
  for _ in $(seq 1 120); do fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1 || break; sleep 1; done
  apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' || { log "herbproc needs Python >= 3.10"; exit 1; }
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PY" -m venv "$VENV"; }
  local stamp="$VENV/.herbproc-installed" want
  want=$(cat "$HERE/pyproject.toml" | sha256sum | cut -c1-16)"-${1:-}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing herbproc and its dependencies into $VENV (torch, timm, transformers, ...; a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  local extra=""
  [ "${1:-}" = test ] && extra="[test]"
  local pip_log="$VENV/pip-install.log"
  if ! "$VENV/bin/python" -m pip install -e "$HERE$extra" >"$pip_log" 2>&1; then
    tail -n 40 "$pip_log" >&2
    log "pip install failed; the whole log is in $pip_log"
    exit 1
  fi
  echo "$want" > "$stamp"
}

main() {
  # the tests also render a report in a real browser (tests/test_report.py)
  [ "${1:-}" = test ] && APT_PACKAGES="$APT_PACKAGES chromium"
  apt_packages
  python_env "${1:-}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$([ "${1:-}" = --test ] && echo test || true)"
fi
