"""Label fonts from Debian packages, by style; a missing file names the package that installs it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FONT_ROOT = Path("/usr/share/fonts")


@dataclass(frozen=True)
class FontFile:
    relpath: str  # below FONT_ROOT
    package: str  # the Debian package that installs it
    caps_only: bool = False  # draws capitals for small letters too: the text is upper-cased so truth = ink

    @property
    def path(self) -> Path:
        return FONT_ROOT / self.relpath

    @property
    def name(self) -> str:
        return Path(self.relpath).name


def _f(relpath: str, package: str, caps_only: bool = False) -> FontFile:
    return FontFile(relpath, package, caps_only)


FREE, DEJAVU = "fonts-freefont-ttf", "fonts-dejavu-core"
# style -> fonts for running text; "<style>_bold" / "<style>_italic" are the heading and name variants
FONTS: dict[str, list[FontFile]] = {
    "serif": [_f("truetype/freefont/FreeSerif.ttf", FREE), _f("truetype/dejavu/DejaVuSerif.ttf", DEJAVU)],
    "serif_bold": [_f("truetype/freefont/FreeSerifBold.ttf", FREE), _f("truetype/dejavu/DejaVuSerif-Bold.ttf", DEJAVU)],
    "serif_italic": [_f("truetype/freefont/FreeSerifItalic.ttf", FREE)],
    "sans": [_f("truetype/freefont/FreeSans.ttf", FREE), _f("truetype/dejavu/DejaVuSans.ttf", DEJAVU)],
    "sans_bold": [_f("truetype/freefont/FreeSansBold.ttf", FREE), _f("truetype/dejavu/DejaVuSans-Bold.ttf", DEJAVU)],
    "sans_italic": [_f("truetype/freefont/FreeSansOblique.ttf", FREE)],
    "typewriter": [
        _f("truetype/gnutypewriter/GNUTypewriter.ttf", "fonts-gnutypewriter"),
        _f("opentype/courier-prime/Courier Prime.otf", "fonts-courier-prime"),
        _f("truetype/freefont/FreeMono.ttf", FREE),
    ],
    "typewriter_bold": [_f("opentype/courier-prime/Courier Prime Bold.otf", "fonts-courier-prime")],
    "typewriter_italic": [_f("opentype/courier-prime/Courier Prime Italic.otf", "fonts-courier-prime")],
    "handwriting": [
        _f("truetype/fifthhorseman/dkg.ttf", "fonts-dkg-handwriting"),
        _f("truetype/femkeklaver/femkeklaver.ttf", "fonts-femkeklaver"),
        _f("truetype/humor-sans/Humor-Sans.ttf", "fonts-humor-sans", caps_only=True),
        _f("opentype/dancingscript/DancingScript-Regular.otf", "fonts-dancingscript"),
        _f("truetype/breip/Breip.ttf", "fonts-breip"),
        _f("opentype/bwht/BecauseWeLearn-Regular.otf", "fonts-bwht", caps_only=True),
    ],
}  # fmt: skip
# the ruler, colour bar and barcode text always use these
UTILITY_FONTS = [
    _f("truetype/dejavu/DejaVuSans.ttf", DEJAVU),
    _f("truetype/dejavu/DejaVuSansMono.ttf", DEJAVU),
]


class FontMissingError(FileNotFoundError):
    """A font file the synthetic labels need is not installed."""


def fonts_for_styles(styles: list[str]) -> list[FontFile]:
    out = list(UTILITY_FONTS)
    for style in styles:
        for variant in (style, f"{style}_bold", f"{style}_italic"):
            out.extend(FONTS.get(variant, []))
    return out


def check_fonts(styles: list[str]) -> None:
    """Raise FontMissingError naming the Debian packages to install when any font of ``styles`` is absent."""
    missing = [f for f in fonts_for_styles(styles) if not f.path.is_file()]
    if missing:
        packages = sorted({f.package for f in missing})
        files = ", ".join(str(f.path) for f in missing[:4]) + (" ..." if len(missing) > 4 else "")
        raise FontMissingError(
            f"font file(s) missing for synthetic labels: {files}; install the Debian package(s) "
            f"{' '.join(packages)} (apt-get install {' '.join(packages)})"
        )


@functools.lru_cache(maxsize=256)
def load_font(font: FontFile, size: int) -> ImageFont.FreeTypeFont:
    if not font.path.is_file():
        raise FontMissingError(
            f"font file {font.path} is missing; install the Debian package {font.package} "
            f"(apt-get install {font.package})"
        )
    return ImageFont.truetype(str(font.path), size)


def shown(font: FontFile, text: str) -> str:
    """The text as this font writes it."""
    return text.upper() if font.caps_only else text


@functools.lru_cache(maxsize=64)
def size_scale(font: FontFile) -> float:
    """Factor that gives every font the same capital height (0.7 of the nominal size)."""
    f = load_font(font, 100)
    x0, y0, x1, y1 = f.getbbox("H")
    return 70.0 / max(1, y1 - y0)


def font_size(font: FontFile, size: float) -> int:
    return max(8, int(round(size * size_scale(font))))


@functools.lru_cache(maxsize=64)
def charset(font: FontFile) -> frozenset[int]:
    """The code points the font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font.path), lazy=True) as tt:
        return frozenset(tt.getBestCmap() or {})


def covers(font: FontFile, text: str) -> bool:
    cmap = charset(font)
    return all(ord(c) in cmap for c in text if not c.isspace())


def pick_font(candidates: list[FontFile], text: str, choice: int) -> FontFile:
    """The ``choice``-th candidate (cyclically) that has a glyph for every character of ``text``."""
    n = len(candidates)
    for k in range(n):
        font = candidates[(choice + k) % n]
        if covers(font, text):
            return font
    raise ValueError(f"no font of {[f.name for f in candidates]} can write {text!r}")
