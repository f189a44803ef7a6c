"""Two ranks through herbproc.training.dist with NCCL: all_sum (fp32, bf16) and gather_objects. Run with
``torchrun --standalone --nproc_per_node=N bench/nccl_probe.py`` (bench/gpu.sh). On a one-GPU machine both ranks
share the GPU, which NCCL may refuse; the output says which. ``bench/nccl_probe.py cpu gloo``: the same on CPUs."""

import os
import sys

import torch

sys.path.insert(0, os.getcwd())
from herbproc.training import dist as d  # noqa: E402

device, backend = (sys.argv[1:] + ["cuda", "nccl"][len(sys.argv) - 1 :])[:2]
try:
    ctx = d.init(device, backend, timeout_s=40)
except (ValueError, RuntimeError) as e:
    sys.exit(f"nccl_probe: {e}")
t = torch.full((3,), float(ctx.rank + 1), device=ctx.device)
d.all_sum(ctx, t)
bf = torch.full((4,), 0.5 * (ctx.rank + 1), device=ctx.device, dtype=torch.bfloat16)
d.all_sum(ctx, bf)
print(
    f"rank {ctx.rank}/{ctx.world} on {ctx.device} backend {ctx.backend}: all_sum fp32 {t.tolist()} "
    f"bf16 {bf.float().tolist()} gather {d.gather_objects(ctx, ctx.rank)} "
    + (f" nccl {torch.cuda.nccl.version()}" if backend == "nccl" else "")
)
d.shutdown(ctx)
