#!/usr/bin/env python
"""How often IELT's token vote has ties at the cut: per layer, patches whose smoothed vote count equals the count
of the last kept patch, against the slots left for them. Where there are more tied patches than slots, the order
among equal counts decides which are kept; herbproc uses the stable order (lower patch index first), the official
CUDA ``torch.sort`` leaves it unspecified.

    python bench/vote_ties.py [--images DIR] [--n 4] [--config vit_b16_448] [--weights ViT-B_16.npz]

Without --weights the model is randomly initialised (no pretrained weights here): say so next to its figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from herbproc.ielt import IELT, load_vit_npz  # noqa: E402
from herbproc.models.ielt.voting import smooth_counts, vote_counts  # noqa: E402


def sheets(folder: Path, n: int, size: int) -> torch.Tensor:
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[:n]
    if not paths:
        raise SystemExit(f"no images in {folder}")
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    arrays = []
    for p in paths:
        rgb = cv2.cvtColor(cv2.imread(str(p)), cv2.COLOR_BGR2RGB)
        rgb = cv2.resize(rgb, (size, size), interpolation=cv2.INTER_AREA) / 255.0
        arrays.append(((rgb - mean) / std).transpose(2, 0, 1))
    return torch.tensor(np.stack(arrays), dtype=torch.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=Path, default=REPO.parent / "shared" / "fixtures" / "real_sheets")
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--config", default="vit_b16_448")
    ap.add_argument("--weights", type=Path, help="ViT-B_16.npz (else random initialisation)")
    args = ap.parse_args()
    torch.manual_seed(0)
    model = IELT.from_config(args.config, num_classes=10).eval()
    if args.weights:
        load_vit_npz(model, args.weights)
    c = model.config
    x = sheets(args.images, args.n, c.img_size)
    print(
        f"{args.config}: {c.grid_size} x {c.grid_size} patches, {len(x)} sheets from {args.images}, "
        f"weights: {args.weights or 'random initialisation'}"
    )
    print("layer  kept  tied at the cut (mean)  slots for them (mean)  sheets where the order decides")
    with torch.no_grad():
        b = x.shape[0]
        tokens = model.patch_embed(x).flatten(2).transpose(1, 2)
        h = torch.cat([model.cls_token.expand(b, -1, -1), tokens], dim=1) + model.pos_embed
        for layer, (block, keep) in enumerate(zip(model.blocks, model.selection.counts, strict=True)):
            h, scores = block(h)
            counts = smooth_counts(vote_counts(scores, c.vote_perhead), c.grid_size)
            ordered = counts.sort(dim=1, descending=True).values
            cut = ordered[:, keep - 1 : keep]
            tied = (counts == cut).sum(1)
            slots = keep - (counts > cut).sum(1)
            decides = int((tied > slots).sum())
            print(
                f"{layer:5d}  {keep:4d}  {tied.float().mean():22.1f}  {slots.float().mean():21.1f}  "
                f"{decides} / {b}"
            )


if __name__ == "__main__":
    main()
