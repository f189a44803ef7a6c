"""The ``synth`` settings, as ``herbproc.synth`` has always exported them; they live with their schema."""

from herbproc.schema.synth import FONT_STYLES, MIN_HEIGHT, MIN_WIDTH, SHARES, check_settings
from herbproc.schema.synth import synth_settings as coerce_settings

__all__ = ["FONT_STYLES", "MIN_HEIGHT", "MIN_WIDTH", "SHARES", "check_settings", "coerce_settings"]
