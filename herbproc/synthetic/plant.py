"""One pressed plant: stems, leaves and the flowers, buds and fruits of its phenology state.

The plant is built as a list of primitives (polygons and polylines with a colour and an organ code) around its
base at (0, 0), growing toward negative y; ``draw_plant`` fits it into a box and paints it onto the sheet
(anti-aliased) and onto an organ map (hard edges), from which the plant mask comes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np

from herbproc.synthetic import leaves as lv
from herbproc.synthetic.taxonomy import COMPOUND, Look

STEM, LEAF, FLOWER, BUD, FRUIT, ROOT = 1, 2, 3, 4, 5, 6
ORGAN_NAMES = {FLOWER: "flower", BUD: "bud", FRUIT: "fruit"}
UP = -math.pi / 2
SHIFT = 4  # cv2 sub-pixel bits
RGB = tuple[int, int, int]


@dataclass
class Prim:
    organ: int
    colour: RGB
    pts: np.ndarray
    fill: bool = True
    thickness: float = 1.0
    cluster: int = -1  # index of the inflorescence (for truth boxes), -1 = none


@dataclass
class Plant:
    prims: list[Prim] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)  # organ name of each cluster
    tape_points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, stem angle

    def add(self, organ: int, colour: RGB, pts: np.ndarray, fill: bool = True, thickness: float = 1.0,
            cluster: int = -1) -> None:  # fmt: skip
        self.prims.append(Prim(organ, colour, np.asarray(pts, dtype=np.float64), fill, thickness, cluster))


def _jitter(rng: random.Random, colour: RGB, amount: float = 0.08) -> RGB:
    f = 1 + rng.uniform(-amount, amount)
    return tuple(int(min(255, max(0, c * f + rng.uniform(-6, 6)))) for c in colour)  # type: ignore[return-value]


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x * (1 - t) + y * t)) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _darker(colour: RGB, factor: float = 0.6) -> RGB:
    return tuple(int(c * factor) for c in colour)  # type: ignore[return-value]


class PlantBuilder:
    def __init__(self, look: Look, scale: float, rng: random.Random, phenology: set[str]):
        self.look, self.s, self.rng, self.phen = look, scale, rng, phenology
        self.plant = Plant()
        self.sites: list[tuple[float, float, float, float]] = []  # inflorescence sites: x, y, angle, age rank
        self.leaf_scale = rng.uniform(0.85, 1.15)

    # ------------------------------------------------------------------ stems

    def stem_path(self, start: tuple[float, float], angle: float, length: float, wiggle: float) -> np.ndarray:
        rng, n = self.rng, 28
        pts, a, curv = [start], angle, rng.gauss(0, wiggle)
        step = length / n
        for _ in range(n):
            curv = 0.8 * curv + rng.gauss(0, wiggle * 0.5)
            a += curv + (UP - a) * 0.03
            x, y = pts[-1]
            pts.append((x + step * math.cos(a), y + step * math.sin(a)))
        return np.array(pts)

    def draw_stem(self, path: np.ndarray, width0: float, width1: float, colour: RGB) -> None:
        widths = np.linspace(width0, width1, len(path))
        self.plant.add(STEM, colour, lv.ribbon(path, widths))

    @staticmethod
    def tangent(path: np.ndarray, k: int) -> float:
        a, b = path[max(0, k - 1)], path[min(len(path) - 1, k + 1)]
        return math.atan2(b[1] - a[1], b[0] - a[0])

    # ------------------------------------------------------------------ leaves

    def leaf(self, base: tuple[float, float], angle: float, size: float) -> None:
        look, rng = self.look, self.rng
        length = look.leaf_length * self.s * size * self.leaf_scale * rng.uniform(0.88, 1.12)
        colour = _jitter(rng, look.leaf_colour)
        if rng.random() < 0.15:
            colour = _mix(colour, (128, 100, 62), rng.uniform(0.2, 0.45))  # a browned, older leaf
        edge = tuple(int(c * 0.72) for c in colour)
        thick = max(1.0, self.s * 0.0007)
        petiole = (
            0.0 if look.leaf_shape in ("linear",) or look.habit == "graminoid" else rng.uniform(0.04, 0.2)
        )
        if look.leaf_shape in COMPOUND:
            petiole = rng.uniform(0.15, 0.3)
        pet_len = petiole * length
        tip = (base[0] + pet_len * math.cos(angle), base[1] + pet_len * math.sin(angle))
        if pet_len > 0:
            self.plant.add(
                STEM, look.stem_colour, np.array([base, tip]), fill=False, thickness=max(1.0, thick * 1.6)
            )
        blades: list[
            tuple[tuple[float, float], float, float, str, float]
        ] = []  # origin, angle, length, shape, aspect
        if look.leaf_shape == "pinnate":
            pairs = rng.randint(3, 5)
            rachis = np.array([tip, (tip[0] + length * math.cos(angle), tip[1] + length * math.sin(angle))])
            self.plant.add(STEM, look.stem_colour, rachis, fill=False, thickness=max(1.0, thick * 1.3))
            for j in range(pairs):
                t = 0.15 + 0.75 * j / pairs
                o = (tip[0] + t * length * math.cos(angle), tip[1] + t * length * math.sin(angle))
                for side in (1, -1):
                    blades.append((o, angle + side * rng.uniform(0.8, 1.1), length * 0.34, "leaflet", 0.42))
            blades.append((tuple(rachis[1]), angle, length * 0.36, "leaflet", 0.42))
        elif look.leaf_shape in ("trifoliate", "palmate"):
            angles = (-0.75, 0.0, 0.75) if look.leaf_shape == "trifoliate" else (-1.25, -0.6, 0.0, 0.6, 1.25)
            for da in angles:
                f = 1.0 if da == 0 else (0.85 if abs(da) < 1 else 0.65)
                blades.append((tip, angle + da, length * 0.55 * f, "leaflet", look.leaf_aspect * 0.5))
        else:
            blades.append((tip, angle, length, look.leaf_shape, look.leaf_aspect))
        for origin, ang, ln, shape, aspect in blades:
            outline, veins = lv.blade_and_veins(shape, look.margin, look.venation, ln, aspect, rng)
            self.plant.add(LEAF, colour, lv.transform(outline, origin, ang))
            self.plant.add(LEAF, edge, lv.transform(outline, origin, ang), fill=False, thickness=thick)
            for v in veins:
                self.plant.add(
                    LEAF, look.vein_colour, lv.transform(v, origin, ang), fill=False, thickness=thick
                )

    def leaves_along(self, path: np.ndarray, start: float, stop: float, nodes: int) -> None:
        look, rng = self.look, self.rng
        side = rng.choice([1, -1])
        for j in range(nodes):
            t = start + (stop - start) * (j + 0.5) / nodes
            k = int(t * (len(path) - 1))
            a = self.tangent(path, k)
            size = 1.15 - 0.45 * (j / max(1, nodes - 1))
            base = (float(path[k][0]), float(path[k][1]))
            spread = rng.uniform(0.75, 1.15)
            if look.arrangement == "opposite":
                for sd in (1, -1):
                    self.leaf(base, a + sd * spread, size)
            elif look.arrangement == "whorled":
                for da in (-spread, spread, -spread - 1.0, spread + 1.0):
                    self.leaf(base, a + da, size * 0.9)
            else:
                self.leaf(base, a + side * spread, size)
                side = -side
            if look.inflorescence == "axillary" and j >= nodes // 2:
                self.sites.append((base[0], base[1], a + side * 0.5, j / nodes))

    # ------------------------------------------------------------------ habits

    def build(self) -> Plant:
        habit = self.look.habit
        if habit == "rosette":
            self.rosette()
        elif habit == "graminoid":
            self.graminoid()
        elif habit == "shrub":
            self.shrub()
        else:
            self.herb(vine=habit == "vine")
        if habit != "shrub":
            self.roots()
        self.reproductive()
        return self.plant

    def herb(self, vine: bool = False) -> None:
        look, rng, s = self.look, self.rng, self.s
        n = look.stems
        for i in range(n):
            lean = (i - (n - 1) / 2) * 0.25 + rng.gauss(0, 0.15)
            length = s * rng.uniform(0.5, 0.7) * (1.25 if vine else 1.0)
            path = self.stem_path((0.0, 0.0), UP + lean, length, 0.05 if vine else 0.018)
            w = s * look.stem_width
            self.draw_stem(path, w * 1.3, w * 0.6, look.stem_colour)
            self.plant.tape_points.append((*path[len(path) // 4], self.tangent(path, len(path) // 4)))
            self.leaves_along(path, 0.08, 0.82, look.nodes)
            self.sites.append((*path[-1], self.tangent(path, len(path) - 1), 1.0))
            for j in range(look.nodes):
                if rng.random() < look.branching:
                    k = int((0.3 + 0.5 * j / look.nodes) * (len(path) - 1))
                    a = self.tangent(path, k) + rng.choice([-1, 1]) * rng.uniform(0.4, 0.8)
                    br = self.stem_path(tuple(path[k]), a, length * rng.uniform(0.25, 0.4), 0.03)
                    self.draw_stem(br, w * 0.8, w * 0.5, look.stem_colour)
                    self.leaves_along(br, 0.2, 0.8, max(2, look.nodes // 3))
                    self.sites.append((*br[-1], self.tangent(br, len(br) - 1), 0.8))

    def shrub(self) -> None:
        look, rng, s = self.look, self.rng, self.s
        w = s * look.stem_width
        length = s * rng.uniform(0.55, 0.72)
        path = self.stem_path((0.0, 0.0), UP + rng.uniform(-0.35, 0.35), length, 0.012)
        self.draw_stem(path, w * 1.2, w * 0.55, look.stem_colour)
        cut = lv.ellipse(0.0, 0.0, w * 0.6, w * 0.35, self.tangent(path, 0) + math.pi / 2, 12)
        self.plant.add(STEM, _mix(look.stem_colour, (220, 200, 160), 0.5), cut)
        self.plant.tape_points.append((*path[len(path) // 5], self.tangent(path, len(path) // 5)))
        self.leaves_along(path, 0.35, 0.9, max(3, look.nodes - 2))
        self.sites.append((*path[-1], self.tangent(path, len(path) - 1), 1.0))
        side = rng.choice([1, -1])
        for j in range(rng.randint(2, 4)):
            k = int((0.25 + 0.55 * j / 3) * (len(path) - 1))
            a = self.tangent(path, k) + side * rng.uniform(0.45, 0.8)
            side = -side
            br = self.stem_path(tuple(path[k]), a, length * rng.uniform(0.3, 0.5), 0.015)
            self.draw_stem(br, w * 0.6, w * 0.35, look.stem_colour)
            self.leaves_along(br, 0.25, 0.9, max(2, look.nodes // 2))
            self.sites.append((*br[-1], self.tangent(br, len(br) - 1), 0.9))

    def rosette(self) -> None:
        look, rng, s = self.look, self.rng, self.s
        n = rng.randint(6, 12)
        for k in range(n):
            a = UP + (k / max(1, n - 1) - 0.5) * rng.uniform(2.2, 2.9) + rng.gauss(0, 0.08)
            self.leaf((0.0, 0.0), a, rng.uniform(0.75, 1.2))
        for i in range(rng.randint(1, 3)):
            path = self.stem_path((0.0, 0.0), UP + rng.gauss(0, 0.3), s * rng.uniform(0.32, 0.5), 0.015)
            w = s * look.stem_width
            self.draw_stem(path, w, w * 0.6, look.stem_colour)
            self.plant.tape_points.append((*path[len(path) // 2], self.tangent(path, len(path) // 2)))
            self.sites.append((*path[-1], self.tangent(path, len(path) - 1), 1.0 - 0.1 * i))

    def graminoid(self) -> None:
        look, rng, s = self.look, self.rng, self.s
        colour = look.leaf_colour
        for _ in range(rng.randint(6, 12)):
            length = look.leaf_length * s * rng.uniform(0.7, 1.3)
            path = self.stem_path((0.0, 0.0), UP + rng.gauss(0, 0.45), length, 0.03)
            width = look.leaf_aspect * look.leaf_length * s * 0.35 * rng.uniform(0.8, 1.2)
            widths = width * np.minimum(1.0, np.linspace(1, 0, len(path)) * 2.5)
            c = _jitter(rng, colour)
            if rng.random() < 0.25:
                c = _mix(c, (150, 120, 70), 0.4)
            self.plant.add(LEAF, c, lv.ribbon(path, widths + 0.5))
            self.plant.add(LEAF, look.vein_colour, path[:-3], fill=False, thickness=max(1.0, s * 0.0005))
        for i in range(rng.randint(2, 4)):
            path = self.stem_path((0.0, 0.0), UP + rng.gauss(0, 0.2), s * rng.uniform(0.5, 0.72), 0.012)
            w = s * look.stem_width
            self.draw_stem(path, w, w * 0.7, _mix(look.stem_colour, colour, 0.5))
            self.plant.tape_points.append((*path[len(path) // 3], self.tangent(path, len(path) // 3)))
            self.sites.append((*path[-1], self.tangent(path, len(path) - 1), 1.0 - 0.1 * i))

    def roots(self) -> None:
        rng, s = self.rng, self.s
        colour = (112, 88, 62)
        for _ in range(rng.randint(8, 18)):
            path = self.stem_path(
                (rng.gauss(0, s * 0.004), 0.0),
                math.pi / 2 + rng.gauss(0, 0.6),
                s * rng.uniform(0.02, 0.06),
                0.12,
            )
            self.plant.add(ROOT, _jitter(rng, colour, 0.15), path, fill=False, thickness=max(1.0, s * 0.0009))

    # ------------------------------------------------------------------ flowers, buds, fruits

    def reproductive(self) -> None:
        """Place the inflorescences at the sites and give their positions the organs of the phenology."""
        if not self.phen:
            return
        look, rng = self.look, self.rng
        positions: list[tuple[float, float, float, float, float]] = []  # x, y, angle, age (0 old..1 young), r
        fr = look.flower_size * self.s * 1.15
        for x, y, a, _rank in self.sites:
            if look.inflorescence == "cluster":
                n = rng.randint(8, 20)
                cx, cy = x + fr * 2.2 * math.cos(a), y + fr * 2.2 * math.sin(a)
                for k in range(n):
                    ang = a + rng.uniform(-1.2, 1.2)
                    dist = fr * rng.uniform(0.5, 2.8)
                    px, py = cx + dist * math.cos(ang), cy + dist * math.sin(ang)
                    self.plant.add(
                        STEM, look.stem_colour, np.array([[x, y], [px, py]]), fill=False, thickness=1.0
                    )
                    positions.append((px, py, ang, (dist / (fr * 2.8)) * 0.5 + k / n * 0.5, fr))
            elif look.inflorescence in ("raceme", "spike"):
                n = rng.randint(6, 12) if look.inflorescence == "raceme" else rng.randint(3, 5)
                step = fr * (1.5 if look.inflorescence == "raceme" else 2.6)
                side = 1
                for k in range(n):
                    bx, by = x - (n - k) * step * math.cos(a), y - (n - k) * step * math.sin(a)
                    off = a + side * 1.0
                    side = -side
                    r = fr * (1.0 - 0.35 * k / n)
                    px, py = bx + r * 1.3 * math.cos(off), by + r * 1.3 * math.sin(off)
                    self.plant.add(
                        STEM, look.stem_colour, np.array([[bx, by], [px, py]]), fill=False, thickness=1.0
                    )
                    positions.append((px, py, off, k / n, r))
            else:  # solitary and axillary: one larger flower per site
                px, py = x + fr * 1.2 * math.cos(a), y + fr * 1.2 * math.sin(a)
                self.plant.add(
                    STEM, look.stem_colour, np.array([[x, y], [px, py]]), fill=False, thickness=1.2
                )
                positions.append(
                    (px, py, a, _rank if look.inflorescence == "axillary" else rng.random(), fr * 1.4)
                )
        if not positions:
            return
        k = 0
        while len(positions) < 4:  # a few more around the last site, so that every part of the state shows
            x, y, a, _rank = self.sites[k % len(self.sites)]
            ang = a + (0.9 if k % 2 else -0.9)
            r = positions[0][4]
            px, py = x + r * 2.6 * math.cos(ang), y + r * 2.6 * math.sin(ang)
            self.plant.add(STEM, look.stem_colour, np.array([[x, y], [px, py]]), fill=False, thickness=1.2)
            positions.append((px, py, ang, rng.random(), r))
            k += 1
        positions.sort(key=lambda p: p[3])
        for (px, py, a, _age, r), organ in zip(positions, self._assign(len(positions)), strict=True):
            self.plant.clusters.append(ORGAN_NAMES[organ])
            cluster = len(self.plant.clusters) - 1
            if organ == FLOWER:
                self.flower(px, py, a, r, cluster)
            elif organ == BUD:
                self.bud(px, py, a, r, cluster)
            else:
                self.fruit(px, py, a, r, cluster)

    def _assign(self, n: int) -> list[int]:
        """Organs for n positions from oldest to youngest: fruits, then flowers, then buds; each part of the
        phenology state gets at least one position."""
        parts = [p for p, organ in (("fruits", FRUIT), ("flowers", FLOWER), ("buds", BUD)) if p in self.phen]
        codes = {"fruits": FRUIT, "flowers": FLOWER, "buds": BUD}
        if len(parts) == 1:
            return [codes[parts[0]]] * n
        weights = {"fruits": 1.0, "flowers": 1.5, "buds": 0.7}
        total = sum(weights[p] for p in parts)
        counts = [max(1, int(round(n * weights[p] / total))) for p in parts]
        while sum(counts) > n:
            counts[counts.index(max(counts))] -= 1
        counts[parts.index("flowers") if "flowers" in parts else 0] += n - sum(counts)
        out: list[int] = []
        for p, c in zip(parts, counts, strict=True):
            out += [codes[p]] * c
        return out

    def flower(self, x: float, y: float, a: float, r: float, cluster: int) -> None:
        look, rng = self.look, self.rng
        if look.habit == "graminoid":  # a spikelet with anthers in the flower colour
            body = lv.ellipse(x, y, r * 1.1, r * 0.45, a, 14)
            self.plant.add(FLOWER, _mix(look.flower_colour, look.leaf_colour, 0.25), body, cluster=cluster)
            for k in range(4):
                ang = a + (k - 1.5) * 0.6
                tip = np.array(
                    [[x, y], [x + r * 1.2 * math.cos(ang + 1.2), y + r * 1.2 * math.sin(ang + 1.2)]]
                )
                self.plant.add(
                    FLOWER, look.flower_colour, tip, fill=False, thickness=max(1.5, r * 0.25), cluster=cluster
                )
            return
        colour = _jitter(rng, look.flower_colour, 0.05)
        squash = rng.uniform(0.6, 1.0)
        rot = rng.uniform(0, math.pi)
        outline = tuple(int(c * 0.75) for c in colour)
        for p in lv.petals(r, look.petals, squash, rot):
            pts = lv.transform(p, (x, y), a)
            self.plant.add(FLOWER, colour, pts, cluster=cluster)
            self.plant.add(FLOWER, outline, pts, fill=False, thickness=1.0, cluster=cluster)
        self.plant.add(
            FLOWER, look.centre_colour, lv.ellipse(x, y, r * 0.26, r * 0.26 * squash, a, 12), cluster=cluster
        )

    def bud(self, x: float, y: float, a: float, r: float, cluster: int) -> None:
        look = self.look
        rb = r * 0.55
        body = lv.ellipse(x + rb * 0.5 * math.cos(a), y + rb * 0.5 * math.sin(a), rb * 1.1, rb * 0.55, a, 16)
        self.plant.add(BUD, _mix(look.flower_colour, look.leaf_colour, 0.45), body, cluster=cluster)
        sepal = lv.ellipse(x, y, rb * 0.55, rb * 0.6, a, 10)
        self.plant.add(BUD, look.leaf_colour, sepal, cluster=cluster)

    def fruit(self, x: float, y: float, a: float, r: float, cluster: int) -> None:
        look, rng = self.look, self.rng
        fr = look.fruit_size * self.s * (r / (look.flower_size * self.s)) ** 0.3
        colour = _jitter(rng, look.fruit_colour, 0.06)
        kind = look.fruit_type
        if kind == "berry":
            self.plant.add(FRUIT, colour, lv.ellipse(x, y, fr, fr, 0, 18), cluster=cluster)
            hi = _mix(colour, (255, 255, 255), 0.45)
            self.plant.add(
                FRUIT,
                hi,
                lv.ellipse(x - fr * 0.35, y - fr * 0.35, fr * 0.22, fr * 0.22, 0, 8),
                cluster=cluster,
            )
        elif kind == "capsule":
            body = lv.ellipse(x + fr * math.cos(a), y + fr * math.sin(a), fr * 1.3, fr * 0.7, a, 18)
            self.plant.add(FRUIT, colour, body, cluster=cluster)
            self.plant.add(FRUIT, _darker(colour), body, fill=False, thickness=1.0, cluster=cluster)
        elif kind == "pod":
            shape = lv.pod(fr * 5.5, fr * 1.1, rng.uniform(-0.25, 0.25))
            body = lv.transform(shape, (x, y), a + rng.uniform(-0.4, 0.4))
            self.plant.add(FRUIT, colour, body, cluster=cluster)
            self.plant.add(FRUIT, _darker(colour), body, fill=False, thickness=1.0, cluster=cluster)
        elif kind == "samara":
            for side in (1, -1):
                wing = lv.transform(
                    lv.ellipse(fr * 1.6, 0, fr * 1.6, fr * 0.6, 0, 16), (x, y), a + side * 0.5
                )
                self.plant.add(FRUIT, colour, wing, cluster=cluster)
                self.plant.add(FRUIT, _darker(colour), wing, fill=False, thickness=1.0, cluster=cluster)
        else:  # achene_head
            self.plant.add(FRUIT, colour, lv.ellipse(x, y, fr * 1.1, fr * 1.0, a, 18), cluster=cluster)
            dark = _darker(colour)
            for k in range(10):
                ang = 2 * math.pi * k / 10
                seg = np.array([[x, y], [x + fr * 1.5 * math.cos(ang), y + fr * 1.5 * math.sin(ang)]])
                self.plant.add(FRUIT, dark, seg, fill=False, thickness=1.0, cluster=cluster)


def build_plant(look: Look, sheet_height: float, rng: random.Random, phenology: set[str]) -> Plant:
    return PlantBuilder(look, sheet_height, rng, phenology).build()


def fit(plant: Plant, box: tuple[float, float, float, float], rng: random.Random) -> float:
    """Scale and move the plant (in place) so that it fills the box (x0, y0, x1, y1); returns the scale."""
    allpts = np.concatenate([p.pts for p in plant.prims])
    x0, y0 = allpts.min(axis=0)
    x1, y1 = allpts.max(axis=0)
    bw, bh = box[2] - box[0], box[3] - box[1]
    scale = min(bw / max(x1 - x0, 1.0), bh / max(y1 - y0, 1.0), 1.6)
    scale *= rng.uniform(0.9, 1.0) if scale < 1.0 else 1.0
    w, h = (x1 - x0) * scale, (y1 - y0) * scale
    ox = box[0] + rng.uniform(0, max(0.0, bw - w)) - x0 * scale
    oy = box[3] - h - y0 * scale
    for p in plant.prims:
        p.pts = p.pts * scale + (ox, oy)
        p.thickness = max(1.0, p.thickness * scale)
    plant.tape_points = [(x * scale + ox, y * scale + oy, a) for x, y, a in plant.tape_points]
    return scale


def draw_plant(plant: Plant, canvas: np.ndarray, organs: np.ndarray) -> None:
    """Paint the plant onto ``canvas`` (RGB, anti-aliased) and ``organs`` (organ codes, hard edges)."""
    one = 1 << SHIFT
    for p in plant.prims:
        pts = np.round(p.pts * one).astype(np.int32).reshape(-1, 1, 2)
        if p.fill:
            cv2.fillPoly(canvas, [pts], p.colour, lineType=cv2.LINE_AA, shift=SHIFT)
            cv2.fillPoly(organs, [pts], p.organ, lineType=cv2.LINE_8, shift=SHIFT)
        else:
            t = max(1, int(round(p.thickness)))
            cv2.polylines(canvas, [pts], False, p.colour, t, lineType=cv2.LINE_AA, shift=SHIFT)
            cv2.polylines(organs, [pts], False, p.organ, t, lineType=cv2.LINE_8, shift=SHIFT)


def organ_boxes(plant: Plant) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(kind, box) of every flower, bud and fruit position."""
    boxes: dict[int, list[float]] = {}
    for p in plant.prims:
        if p.cluster < 0:
            continue
        x0, y0 = p.pts.min(axis=0)
        x1, y1 = p.pts.max(axis=0)
        b = boxes.setdefault(p.cluster, [x0, y0, x1, y1])
        b[:] = [min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)]
    return [(plant.clusters[c], (boxes[c][0], boxes[c][1], boxes[c][2], boxes[c][3])) for c in sorted(boxes)]
