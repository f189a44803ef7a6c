"""The text cards of a sheet: the main label and the determination slip, with the Darwin Core terms each
line shows."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from herbproc.schema.synth import Settings
from herbproc.synthetic import names
from herbproc.synthetic.cards import Card, CardPainter, text_width, wrap
from herbproc.synthetic.fonts import FONTS, FontFile, font_size, pick_font
from herbproc.synthetic.world import Specimen

CARD_TONES = [(248, 247, 240), (244, 240, 226), (238, 230, 204), (232, 222, 192), (246, 246, 246)]
PRINT_INK = [(22, 22, 24), (40, 34, 30), (30, 30, 44)]
HAND_INK = [(28, 38, 96), (48, 36, 28), (20, 20, 22), (40, 52, 110)]


@dataclass
class Line:
    segments: list[tuple[str, str]]  # (text, role): role is header | name | author | body
    fields: list[str]
    align: str = "left"  # left | center | right-row (the right half of a two-part row)
    size: float = 1.0
    row_with_next: bool = False  # this and the next line share one row (left and right)


@dataclass
class Styles:
    """Which font style each role of one card uses."""

    header: str
    body: str

    @staticmethod
    def choose(rng: random.Random, settings: Settings, hand_share: float) -> Styles:
        allowed = settings.font_styles
        printed = [s for s in allowed if s != "handwriting"] or ["handwriting"]
        header = rng.choice([s for s in printed if s != "typewriter"] or printed)
        hand = "handwriting" in allowed and (rng.random() < hand_share or printed == ["handwriting"])
        body = "handwriting" if hand else rng.choice(printed)
        return Styles(header, body)


def _variants(style: str, role: str) -> list[FontFile]:
    if role == "header":
        return FONTS.get(f"{style}_bold") or FONTS[style]
    if role == "name" and style != "handwriting":
        return FONTS.get(f"{style}_italic") or FONTS[style]
    return FONTS[style]


def _role_style(styles: Styles, role: str) -> str:
    return styles.header if role == "header" else styles.body


def main_label_lines(sp: Specimen, rng: random.Random) -> list[Line]:
    inst, taxon = sp.institution, sp.taxon
    state_name = sp.state_name
    abbr = names.STATES[sp.state][1] if sp.state in names.STATES else state_name
    lines: list[Line] = []
    header = rng.choice(["institution", "plants_of", "flora_of"])
    footer = False
    if header == "institution":
        lines.append(Line([(inst.name.upper(), "header")], ["institutionCode"], "center", 0.95))
    else:
        word = "PLANTS OF" if header == "plants_of" else "FLORA OF"
        lines.append(Line([(f"{word} {state_name.upper()}", "header")], ["stateProvince"], "center", 1.05))
        footer = True
    lines.append(
        Line(
            [(taxon.canonical_name, "name"), (taxon.authorship, "author")],
            ["scientificName", "scientificNameAuthorship"],
            "left",
            1.12,
        )  # fmt: skip
    )
    if rng.random() < 0.5:
        fam = taxon.family.upper() if rng.random() < 0.4 else taxon.family
        lines.append(Line([(fam, "body")], ["family"], "left", 0.95))
    county = f"{sp.county} Co." if sp.county else ""
    if header == "institution":
        options = [
            (f"{sp.locality}, {sp.county} County, {abbr}", ["locality", "county", "stateProvince"]),
            (f"{state_name.upper()}: {county}, {sp.locality}", ["stateProvince", "county", "locality"]),
        ]
    else:
        options = [
            (f"{county}: {sp.locality}.", ["county", "locality"]),
            (f"{sp.locality}, {sp.county} County, {abbr}", ["locality", "county", "stateProvince"]),
        ]
    text, fields = rng.choice(options)
    lines.append(Line([(text, "body")], fields, "left"))
    num = sp.record_number
    who = rng.choice(
        [f"Coll. {sp.collector} No. {num}", f"{sp.collector} {num}", f"{sp.collector}, no. {num}"]
        if num
        else [f"{sp.collector} s.n.", f"Coll. {sp.collector}"]
    )
    who_fields = ["recordedBy", "recordNumber"] if num else ["recordedBy"]
    lines.append(Line([(who, "body")], who_fields, "left", row_with_next=True))
    lines.append(Line([(sp.date.verbatim, "body")], ["eventDate", "verbatimEventDate"], "right-row"))
    if sp.reproductive_condition and rng.random() < 0.35:
        lines.append(Line([(sp.reproductive_condition, "body")], ["reproductiveCondition"], "left", 0.95))
    if footer:
        lines.append(Line([(inst.name, "header")], ["institutionCode"], "center", 0.8))
    return lines


def annotation_lines(sp: Specimen, rng: random.Random) -> list[Line]:
    taxon = sp.taxon
    head = rng.choice(["ANNOTATION LABEL", "DETERMINATION SLIP", sp.institution.name.upper()])
    head_fields = ["institutionCode"] if head == sp.institution.name.upper() else []
    det = rng.choice(
        [
            f"Det. {sp.determiner} {sp.determination_year}",
            f"{sp.determiner}, {sp.determination_year}",
            f"Conf. {sp.determiner} {sp.determination_year}",
        ]  # fmt: skip
    )
    return [
        Line([(head, "header")], head_fields, "center", 0.8),
        Line(
            [(taxon.canonical_name, "name"), (taxon.authorship, "author")],
            ["scientificName", "scientificNameAuthorship"],
            "left",
            1.05,
        ),  # fmt: skip
        Line([(det, "body")], ["identifiedBy", "dateIdentified"], "left"),
    ]


def _fonts_for(lines: list[Line], styles: Styles, rng: random.Random) -> dict[str, tuple[str, FontFile]]:
    """One font per role for the whole card, able to write every character of that role's text."""
    texts: dict[str, str] = {}
    for ln in lines:
        for text, role in ln.segments:
            key = "body" if role == "author" else role
            texts[key] = texts.get(key, "") + text
    out: dict[str, tuple[str, FontFile]] = {}
    if styles.body == "handwriting":  # one hand writes the name and the data
        hand = "".join(t for r, t in texts.items() if r != "header")
        ff = pick_font(FONTS["handwriting"], hand, rng.randrange(len(FONTS["handwriting"])))
        out.update({r: ("handwriting", ff) for r in texts if r != "header"})
    for role, text in texts.items():
        if role in out:
            continue
        style = _role_style(styles, role)
        candidates = _variants(style, role)
        try:
            out[role] = (style, pick_font(candidates, text, rng.randrange(len(candidates))))
        except ValueError:
            out[role] = (style, pick_font(FONTS[style], text, rng.randrange(len(FONTS[style]))))
    out["author"] = out["body"] if "body" in out else out["name"]
    return out


def render_text_card(
    kind: str,
    lines: list[Line],
    styles: Styles,
    width: int,
    base_size: int,
    rng: random.Random,
    settings: Settings,
) -> Card:
    """Lay out and paint a label or slip of ``width`` pixels; its height follows from the text."""
    fonts = _fonts_for(lines, styles, rng)
    pad = max(6, int(width * 0.05))
    inner = width - 2 * pad
    tone = rng.choice(CARD_TONES)
    hand = styles.body == "handwriting"
    ink_print = rng.choice(PRINT_INK)
    ink_hand = rng.choice(HAND_INK)
    fade = settings.fading * rng.uniform(0.6, 1.0)
    alpha = int(round(255 * (1 - 0.8 * fade)))

    def em_of(line: Line) -> float:
        return base_size * line.size * (1.1 if hand and line.segments[0][1] != "header" else 1.0)

    def seg_fonts(line: Line) -> list[tuple[str, FontFile, int]]:
        return [
            (text, fonts[role][1], font_size(fonts[role][1], em_of(line))) for text, role in line.segments
        ]

    # first pass: baselines (cap heights are equal across fonts, so spacing follows the em, not the font)
    draws: list[tuple[float, float, list[tuple[str, FontFile, int]], Line]] = []
    y = float(pad)
    i = 0
    while i < len(lines):
        ln = lines[i]
        em = em_of(ln)
        segs = seg_fonts(ln)
        if ln.row_with_next and i + 1 < len(lines):
            right = seg_fonts(lines[i + 1])
            wl, wr = text_width(segs), text_width(right)
            if wl + wr + em * 1.5 <= inner:
                y += em * 1.3
                draws.append((pad, y, segs, ln))
                draws.append((pad + inner - wr, y, right, lines[i + 1]))
                i += 2
                continue
        if len(segs) == 1:
            text, ff, sz = segs[0]
            for part in wrap(text, ff, sz, inner):
                w = text_width([(part, ff, sz)])
                x = pad + (inner - w) / 2 if ln.align == "center" else pad
                y += em * 1.3
                draws.append((x, y, [(part, ff, sz)], ln))
        else:
            while text_width(segs) > inner and segs[0][2] > 8:  # a long name: smaller rather than wrapped
                segs = [(t, f, s - 1) for t, f, s in segs]
            y += em * 1.4
            draws.append((pad, y, segs, ln))
        if ln.segments[0][1] == "header":
            y += em * 0.25
        i += 1
    y += base_size * 0.5
    height = int(y + pad * 0.8)
    painter = CardPainter(width, height, (*tone, 255))
    if rng.random() < 0.4:
        inset = max(3, pad // 3)
        painter.draw.rectangle([inset, inset, width - inset, height - inset], outline=(*ink_print, alpha),
                               width=max(1, base_size // 12))  # fmt: skip
    for x, yy, segs, ln in draws:
        role = ln.segments[0][1]
        style = fonts[role][0]
        is_hand = style == "handwriting"
        ink = (*(ink_hand if is_hand else ink_print), alpha)
        painter.text((x, yy), segs, ink, ln.fields, style, rng, wobble=0.05 if is_hand else 0.0)
    card = painter.card(kind)
    if rng.random() < settings.occlusion_share:
        occlude(card, rng)
    return card


def occlude(card: Card, rng: random.Random) -> None:
    """Cover part of the card with a strip (tape, a paper scrap or a stain) and record how much of each line
    it hides."""
    h, w = card.rgba.shape[:2]
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    if rng.random() < 0.5:  # a vertical-ish strip
        x = rng.uniform(0.1, 0.8) * w
        sw = rng.uniform(0.12, 0.3) * w
        d.polygon(
            [
                (x, -5),
                (x + sw, -5),
                (x + sw + rng.uniform(-20, 20), h + 5),
                (x + rng.uniform(-20, 20), h + 5),
            ],
            fill=255,
        )
    else:
        y = rng.uniform(0.25, 0.75) * h
        sh = rng.uniform(0.15, 0.35) * h
        d.polygon([(-5, y), (w + 5, y + rng.uniform(-10, 10)), (w + 5, y + sh), (-5, y + sh)], fill=255)
    mask = np.asarray(layer).astype(np.float32) / 255.0
    colour, strength = rng.choice([((236, 228, 200), 0.9), ((245, 243, 236), 1.0), ((150, 110, 60), 0.6)])
    a = mask[..., None] * strength
    rgb = card.rgba[..., :3].astype(np.float32)
    card.rgba[..., :3] = np.clip(rgb * (1 - a) + np.array(colour, np.float32) * a + 0.5, 0, 255).astype(
        np.uint8
    )
    for ln in card.lines:
        x0, y0, x1, y1 = (int(round(v)) for v in ln.box)
        region = mask[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
        ln.occluded = float(region.mean()) if region.size else 0.0
    card.extra["occluder"] = {"opacity": strength}
