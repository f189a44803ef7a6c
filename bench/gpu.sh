#!/bin/bash
# The GPU benchmarks and training checks, as one prepared call for a lent GPU machine (docs/benchmarks.md).
#
#   bash bench/gpu.sh prepare     # here: wheels of what that machine's image lacks (cp312) into .whl/
#   bash bench/gpu.sh             # there (device tool, carry .whl): every check, each part's output in $OUT
#
# That machine has python3 with torch, timm and transformers but nothing from a registry: the project's other
# dependencies travel as wheels. Each part has its own time limit, so one that hangs leaves the others their turn.
set -u
cd "$(dirname "$0")/.."
if [ "${1:-}" = prepare ]; then
    rm -rf .whl .fonts  # one version of each wheel: two stop the install there
    mkdir -p .git/info .whl
    grep -qx "/.whl/" .git/info/exclude 2>/dev/null || echo "/.whl/" >>.git/info/exclude
    platforms=()
    for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64; do
        platforms+=(--platform "$p")
    done
    for w in numcodecs google-crc32c rapidfuzz pycountry omegaconf hydra-core zarr donfig; do
        python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
            "${platforms[@]}" -d .whl "$w" || exit 1
    done
    python3 -m pip wheel -q --no-deps -w .whl "antlr4-python3-runtime==4.9.3" || exit 1  # an sdist only
    # the synthetic sheets' fonts (Debian packages here; that image has none): bench/train.py renders sheets
    grep -qx "/.fonts/" .git/info/exclude || echo "/.fonts/" >>.git/info/exclude
    python3 - <<'PY' || exit 1
import shutil
from pathlib import Path
from herbproc.synthetic.fonts import FONT_ROOT, FONTS, UTILITY_FONTS
for font in {f.relpath: f for fs in [*FONTS.values(), UTILITY_FONTS] for f in fs}.values():
    (Path(".fonts") / font.relpath).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FONT_ROOT / font.relpath, Path(".fonts") / font.relpath)
PY
    ls .whl
    exit 0
fi
: "${OUT:?OUT (the folder whose files come back) must be set}"
export PYTHONUNBUFFERED=1
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site
[ -d .fonts ] && cp -r .fonts/. /usr/share/fonts/
T0=$(date +%s)
parts=" ${PARTS:-ocr ielt train nccl eager} "  # PARTS="train nccl" bash bench/gpu.sh: only those
want() { [[ "$parts" == *" $1 "* ]]; }
at() { echo "### $1 at +$(($(date +%s) - T0)) s"; }
{
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
    nproc
    python3 -c "import torch, timm, transformers; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'timm', timm.__version__, 'transformers', transformers.__version__)"
} 2>&1 | tee "$OUT/machine.txt"
want ocr && {
at ocr
timeout 150 python3 bench/ocr.py speed --device cuda --dtype bf16 --model base --lines 2048 --batch 256 \
    --tokens 32 --threads 8 2>&1 | tee "$OUT/ocr.txt" | tail -8
}
want ielt && {
at ielt
timeout 300 python3 bench/ielt.py --device cuda --precision bf16 --batch 32 --compile 2>&1 | tee "$OUT/ielt.txt" | tail -16
}
want train && {
at train
timeout 170 python3 bench/train.py --device cuda --precision bf16 --model vit_b16_448 --canvas 900x600 --codec jpeg \
    --species 5 --sheets 64 --batch 32 --epochs 3 --steps 60 --workers 6 --threads 4 2>&1 | tee "$OUT/train.txt" | tail -8
}
want nccl && {
at nccl
# NCCL refuses two ranks on one GPU ("Duplicate GPU detected"): one rank per GPU there, two ranks over gloo beside it
gpus=$(nvidia-smi -L | wc -l)
timeout 60 torchrun --standalone --nproc_per_node="$gpus" bench/nccl_probe.py >"$OUT/nccl.txt" 2>&1
echo "rc $? ($gpus rank(s), nccl)" >>"$OUT/nccl.txt"
timeout 60 torchrun --standalone --nproc_per_node=2 bench/nccl_probe.py cpu gloo >>"$OUT/nccl.txt" 2>&1
echo "rc $? (2 ranks, gloo)" >>"$OUT/nccl.txt"
grep -E "^rank|Error|rc " "$OUT/nccl.txt" | head -12
}
want eager && {
at eager
timeout 100 python3 bench/ielt.py --device cuda --precision bf16 --batch 32 --models ielt,vit 2>&1 | tee "$OUT/ielt_eager.txt" | tail -8
}
at done
