"""Leaf, flower, bud and fruit outlines as polygons in local coordinates (pixels, x along the organ)."""

from __future__ import annotations

import math
import random

import numpy as np

Poly = np.ndarray  # (N, 2) float


def ellipse(cx: float, cy: float, a: float, b: float, angle: float = 0.0, n: int = 20) -> Poly:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = a * np.cos(t), b * np.sin(t)
    ca, sa = math.cos(angle), math.sin(angle)
    return np.stack([cx + x * ca - y * sa, cy + x * sa + y * ca], axis=1)


def transform(pts: Poly, origin: tuple[float, float], angle: float, scale: float = 1.0) -> Poly:
    """Rotate local points by ``angle`` (radians), scale, and move the local origin to ``origin``."""
    ca, sa = math.cos(angle) * scale, math.sin(angle) * scale
    x, y = pts[:, 0], pts[:, 1]
    return np.stack([origin[0] + x * ca - y * sa, origin[1] + x * sa + y * ca], axis=1)


def _profile(shape: str, t: np.ndarray) -> np.ndarray:
    """Half-width (0..1) of a simple blade along its length t in [0, 1]."""
    widest = {"lanceolate": 0.3, "ovate": 0.33, "cordate": 0.3, "elliptic": 0.5, "obovate": 0.66,
              "orbicular": 0.5, "pinnately_lobed": 0.5, "leaflet": 0.45}.get(shape, 0.5)  # fmt: skip
    if shape == "linear":
        return np.minimum(1.0, t / 0.05) * (1 - t) ** 0.55
    a = math.log(0.5) / math.log(widest)
    w = np.sin(np.pi * np.clip(t, 0, 1) ** a)
    return w**0.7 if shape in ("orbicular", "cordate") else w


def _margin(margin: str, t: np.ndarray, teeth: int, rng: random.Random) -> np.ndarray:
    """Multiplier of the half-width that cuts teeth into the margin."""
    phase = rng.random()
    u = t * teeth + phase
    inner = (t > 0.06) & (t < 0.94)
    if margin == "serrate":
        wave = 0.1 * (u % 1.0)  # teeth leaning toward the tip
    elif margin == "dentate":
        wave = 0.12 * (1 - np.abs(2 * (u % 1.0) - 1))
    elif margin == "crenate":
        wave = 0.07 * np.abs(np.sin(np.pi * u))
    else:
        return np.ones_like(t)
    return 1 - 0.05 + np.where(inner, wave, 0.05)


def simple_blade(shape: str, margin: str, length: float, aspect: float, rng: random.Random) -> Poly:
    """Outline of a simple leaf blade from its base (0, 0) to its tip (length, 0)."""
    if shape == "palmately_lobed":
        return palmate_blade(length, aspect, rng)
    n = 90 if margin != "entire" else 40
    t = np.linspace(0, 1, n)
    half = _profile(shape, t) * length * aspect / 2
    if shape == "pinnately_lobed":
        lobes = rng.randint(3, 5)
        half = half * (0.5 + 0.5 * np.abs(np.sin(np.pi * lobes * t)) ** 0.6)
    teeth = rng.randint(14, 26)
    half = half * _margin(margin, t, teeth, rng)
    x = t * length
    if shape == "cordate":
        # the basal lobes reach back past the petiole
        x = x - 0.16 * length * (1 - np.clip(t / 0.22, 0, 1)) ** 2 * np.sqrt(half / half.max())
    top = np.stack([x, half], axis=1)
    bottom = np.stack([x[::-1], -half[::-1] * rng.uniform(0.92, 1.0)], axis=1)
    return np.concatenate([top, bottom[1:-1]])


def palmate_blade(length: float, aspect: float, rng: random.Random) -> Poly:
    """A maple-like blade: lobes radiating from the petiole tip at (0, 0), pointing along +x."""
    return palmate_blade_and_veins(length, aspect, rng)[0]


def palmate_blade_and_veins(length: float, aspect: float, rng: random.Random) -> tuple[Poly, list[Poly]]:
    """The blade of ``palmate_blade`` and one vein into each lobe."""
    n_lobes = rng.choice([3, 5, 5])
    spread = 0.72 * math.pi
    centres = np.linspace(-spread, spread, n_lobes) * (0.75 if n_lobes == 3 else 1.0)
    sizes = np.array(
        [1.0 - 0.28 * abs(k - (n_lobes - 1) / 2) / max(1, (n_lobes - 1) / 2) for k in range(n_lobes)]
    )
    theta = np.linspace(-math.pi, math.pi, 140, endpoint=False)
    d = np.abs(((theta[:, None] - centres[None, :]) + math.pi) % (2 * math.pi) - math.pi)
    lobe = np.max(sizes[None, :] * np.exp(-((d / 0.3) ** 2)), axis=1)
    teeth = 1 + 0.05 * np.abs(np.sin(theta * rng.randint(20, 30)))
    r = length * 0.55 * (0.3 + 0.7 * lobe) * teeth
    pts = np.stack([r * np.cos(theta), r * np.sin(theta) * aspect], axis=1)
    pts[:, 0] += length * 0.12
    veins = []
    for c, size in zip(centres, sizes, strict=True):
        reach = length * 0.55 * (0.3 + 0.7 * size) * 0.85
        veins.append(
            np.array(
                [[length * 0.12, 0.0], [length * 0.12 + reach * math.cos(c), reach * math.sin(c) * aspect]]
            )
        )
    return pts, veins


def blade_and_veins(
    shape: str, margin: str, venation: str, length: float, aspect: float, rng: random.Random
) -> tuple[Poly, list[Poly]]:
    if shape == "palmately_lobed":
        return palmate_blade_and_veins(length, aspect, rng)
    return simple_blade(shape, margin, length, aspect, rng), veins(shape, venation, length, aspect, rng)


def veins(shape: str, venation: str, length: float, aspect: float, rng: random.Random) -> list[Poly]:
    """Vein polylines of a simple blade (local coordinates, as ``simple_blade``)."""
    out = [np.array([[0.0, 0.0], [length * 0.93, 0.0]])]
    half = length * aspect / 2
    if venation == "parallel":
        t = np.linspace(0.02, 0.95, 12)
        w = _profile(shape, t) * half
        for f in (0.45, 0.8):
            out += [np.stack([t * length, w * f], axis=1), np.stack([t * length, -w * f], axis=1)]
    elif venation == "palmate":
        for ang in (-0.9, -0.45, 0.45, 0.9):
            t = 0.5 * math.cos(ang)
            w = float(_profile(shape, np.array([t]))[0]) * half * 0.85
            out.append(np.array([[0.0, 0.0], [length * t, math.copysign(w, ang)]]))
    else:
        for t in np.linspace(0.15, 0.8, rng.randint(4, 7)):
            w = float(_profile(shape, np.array([t]))[0]) * half * 0.85
            for side in (1, -1):
                out.append(np.array([[t * length, 0.0], [t * length + 0.13 * length, side * w]]))
    return out


def petals(r: float, n: int, squash: float, rot: float) -> list[Poly]:
    """Petals of a flower seen from the front, around (0, 0); ``squash`` < 1 tilts it."""
    out = []
    for k in range(n):
        ang = rot + 2 * math.pi * k / n
        p = ellipse(r * 0.55 * math.cos(ang), r * 0.55 * math.sin(ang), r * 0.52, r * 0.3, ang, 14)
        p[:, 1] *= squash
        out.append(p)
    return out


def pod(length: float, width: float, bend: float) -> Poly:
    """A legume pod (or capsule) from (0, 0) along +x, slightly bent."""
    t = np.linspace(0, 1, 24)
    centre_y = bend * length * (t - t**2)
    half = width / 2 * np.sin(np.pi * np.clip(t, 0.02, 0.98)) ** 0.4
    top = np.stack([t * length, centre_y + half], axis=1)
    bottom = np.stack([t[::-1] * length, centre_y[::-1] - half[::-1]], axis=1)
    return np.concatenate([top, bottom])


def ribbon(centre: Poly, widths: np.ndarray) -> Poly:
    """A polygon of varying width around a centre line (stems, grass blades)."""
    d = np.gradient(centre, axis=0)
    norm = np.linalg.norm(d, axis=1, keepdims=True)
    d = d / np.maximum(norm, 1e-9)
    normal = np.stack([-d[:, 1], d[:, 0]], axis=1) * (widths[:, None] / 2)
    return np.concatenate([centre + normal, (centre - normal)[::-1]])
