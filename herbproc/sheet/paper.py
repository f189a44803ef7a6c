"""The sheet's paper and what lies on it, on the working copy.

The paper's colour is modelled as a smooth quadratic surface in Lab (scans are often a little brighter on one
side, paper yellows unevenly), fitted to the pixels near the most common bright colour. Everything that differs
from it by more than a few noise levels is an *object* (the plant, cards, ink, rulers), except the dark
background around the paper (the scanner's bed or the copy stand), which is found from the image border.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SAMPLE = 20_000  # pixels the surface is fitted to
MIN_OBJECT_DE = 7.0  # Lab difference (OpenCV 8-bit units) an object pixel needs at least


@dataclass
class Paper:
    lab: np.ndarray  # H x W x 3 float32: the working copy in Lab (OpenCV 8-bit scale)
    model: np.ndarray  # H x W x 3 float32: the paper's colour under every pixel
    colour: np.ndarray  # 3: the paper's median Lab colour
    noise: float  # robust spread of the paper around the model, Lab units
    distance: np.ndarray  # H x W float32: Lab difference to the paper model
    background: np.ndarray  # H x W bool: dark border around the paper (not the sheet)
    objects: np.ndarray  # H x W bool: neither paper nor background
    islands: np.ndarray | None = None  # H x W bool: objects lying on the background beside the sheet

    @property
    def threshold(self) -> float:
        return max(MIN_OBJECT_DE, 4.0 * self.noise)


def _design(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    return np.stack([np.ones_like(xs), xs, ys, xs * xs, xs * ys, ys * ys], axis=1)


def _mode_colour(px: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """The median colour of the most populated bright cell of a coarse Lab histogram (``px``: N x 3)."""
    px = px[usable] if usable.any() else px
    bright = px[px[:, 0] >= np.percentile(px[:, 0], 40)]
    q = np.clip((bright / 12).astype(np.int32), 0, 21)
    key = q[:, 0] * 484 + q[:, 1] * 22 + q[:, 2]
    top = np.bincount(key).argmax()
    return np.median(bright[key == top], axis=0)


def _surface(coef: np.ndarray, h: int, w: int) -> np.ndarray:
    """The fitted quadratic evaluated on a coarse grid and enlarged (it is smooth): H x W x 3 float32."""
    gh, gw = max(2, h // 8), max(2, w // 8)
    gy, gx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    xs, ys = gx / (gw - 1) - 0.5, gy / (gh - 1) - 0.5
    grid = (_design(xs.ravel(), ys.ravel()) @ coef).reshape(gh, gw, 3).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_LINEAR)


def _distance(lab: np.ndarray, model: np.ndarray) -> np.ndarray:
    d = cv2.subtract(lab, model)
    return np.sqrt(np.einsum("ijk,ijk->ij", d, d))


def analyse(rgb: np.ndarray) -> Paper:
    """Paper model, background and object map of a working copy (H x W x 3 uint8 RGB)."""
    h, w = rgb.shape[:2]
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    background = _background(lab)
    step = max(1, int(np.sqrt(h * w / SAMPLE)))  # a regular subsample for the statistics
    sub, sub_bg = lab[::step, ::step].reshape(-1, 3), background[::step, ::step].ravel()
    sh, sw = lab[::step, ::step].shape[:2]
    sy, sx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    xs, ys = (sx.ravel() * step) / max(w - 1, 1) - 0.5, (sy.ravel() * step) / max(h - 1, 1) - 0.5
    colour = _mode_colour(sub, ~sub_bg)
    seeds = (np.linalg.norm(sub - colour, axis=1) < 14) & ~sub_bg
    coef = np.zeros((6, 3), np.float32)
    coef[0] = colour
    noise = 2.0
    for _ in range(2):
        idx = np.flatnonzero(seeds)
        if len(idx) < 50:
            break
        a = _design(xs[idx], ys[idx])
        coef = np.linalg.solve(a.T @ a + 1e-6 * np.eye(6, dtype=np.float32), a.T @ sub[idx])
        resid = np.linalg.norm(sub - _design(xs, ys) @ coef, axis=1)
        r = resid[seeds]
        noise = float(max(1.0, 1.4826 * np.median(np.abs(r - np.median(r)))) + np.median(r) * 0.5)
        seeds = (resid < max(6.0, 3.0 * noise)) & ~sub_bg
    model = _surface(coef.astype(np.float32), h, w)
    distance = _distance(lab, model)
    paper_colour = np.median(sub[seeds], axis=0) if seeds.any() else colour
    paper = Paper(lab, model, paper_colour, noise, distance, background, np.zeros((h, w), bool))
    paper.islands = _on_background(background)
    paper.objects = (distance > paper.threshold) & ~background | paper.islands
    return paper


def _on_background(background: np.ndarray) -> np.ndarray:
    """Things lying on the dark background beside the sheet (a white ruler, a colour bar): every island of
    non-background except the largest, which is the sheet itself."""
    if not background.any():
        return np.zeros_like(background)
    n, labels, stats, _ = cv2.connectedComponentsWithStats((~background).astype(np.uint8), connectivity=4)
    if n <= 2:
        return np.zeros_like(background)
    sheet = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    keep = np.ones(n, bool)
    keep[[0, sheet]] = False
    return keep[labels]


def ink(paper: Paper, em: float) -> np.ndarray:
    """Dark strokes thinner than about a line height (letters, thin stems), whatever the shading around them:
    the black-hat transform of the lightness."""
    k = max(3, int(round(1.5 * em)) | 1)
    light = np.clip(paper.lab[..., 0], 0, 255).astype(np.uint8)
    hat = cv2.morphologyEx(light, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return hat > max(14.0, 4.0 * paper.noise)


def _background(lab: np.ndarray) -> np.ndarray:
    """The dark surround of the sheet: pixels close to the dark colour that dominates the image border,
    connected to the border, more than 1% of the picture. Empty when the border is not mostly dark."""
    h, w = lab.shape[:2]
    light = lab[..., 0]
    ref = np.percentile(light[::4, ::4], 75)
    b = max(2, int(0.015 * min(h, w)))
    border = np.concatenate([lab[:b].reshape(-1, 3), lab[-b:].reshape(-1, 3), lab[:, :b].reshape(-1, 3),
                             lab[:, -b:].reshape(-1, 3)])  # fmt: skip
    dark = border[border[:, 0] < 0.6 * ref]
    if len(dark) < 0.25 * len(border):
        return np.zeros((h, w), bool)
    colour = np.median(dark, axis=0)
    spread = np.linalg.norm(dark - colour, axis=1)
    limit = float(np.clip(3.0 * np.percentile(spread, 75), 10.0, 28.0))
    near = (np.linalg.norm(lab - colour, axis=2) < limit) & (light < 0.6 * ref)
    near = cv2.morphologyEx(near.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=4)
    keep = np.zeros(n, bool)
    touching = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    for k in touching:
        keep[k] = k > 0 and stats[k, cv2.CC_STAT_AREA] > 0.01 * h * w
    return keep[labels]


def chroma(paper: Paper) -> np.ndarray:
    return np.hypot(paper.lab[..., 1] - 128, paper.lab[..., 2] - 128)


def paperlike(paper: Paper) -> np.ndarray:
    """Bright and nearly grey: paper, cards, stickers, packets (whatever their exact tone)."""
    return (paper.lab[..., 0] >= paper.colour[0] - 30) & (chroma(paper) <= 25)


def inklike(paper: Paper) -> np.ndarray:
    """Dark and grey: print, pencil, card edges and their shadows."""
    return (paper.lab[..., 0] <= 0.6 * paper.colour[0]) & (chroma(paper) <= 12)
