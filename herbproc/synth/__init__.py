"""The synthetic herbarium world: taxa, specimens, rendered sheets with ground truth, a Darwin Core Archive.

    world = make_world({"species": 3, "sheets_per_species": 2}, seed=7)
    world.records()                  # one dict per sheet (occurrence columns + identifier + truth flags)
    sheet = render_sheet(world, 0)   # sheet.image (H x W x 3 RGB), sheet.truth (dict), sheet.plant_mask
    write_dwca(world, out_dir)       # out_dir/dwca/ and out_dir/dwca.zip
    build_world_dir(settings, out_dir)  # all sheets + archive in one folder, as stage=synth lays them out

Everything follows from (settings, seed, sheet index) alone. The stage is ``herbproc.synth.stage``.
"""

from herbproc.schema.synth import Settings
from herbproc.synth.dwca import DwcaPaths, write_dwca
from herbproc.synth.fonts import FontMissingError, check_fonts
from herbproc.synth.settings import check_settings, coerce_settings
from herbproc.synth.sheet import Sheet, render_sheet
from herbproc.synth.stage import build_world_dir, write_sheet
from herbproc.synth.world import OCCURRENCE_COLUMNS, World, make_world

__all__ = [
    "OCCURRENCE_COLUMNS",
    "DwcaPaths",
    "FontMissingError",
    "Settings",
    "Sheet",
    "World",
    "build_world_dir",
    "check_fonts",
    "check_settings",
    "coerce_settings",
    "make_world",
    "render_sheet",
    "write_dwca",
    "write_sheet",
]
