"""``stage=synth`` and ``herbproc synth``: the synthetic herbarium world (``herbproc.synthetic``) written to disk.
The world's names are re-exported here as documented:

    world = make_world({"species": 3, "sheets_per_species": 2}, seed=7)
    world.records()                  # one dict per sheet (occurrence columns + identifier + truth flags)
    sheet = render_sheet(world, 0)   # sheet.image (H x W x 3 RGB), sheet.truth (dict), sheet.plant_mask
    write_dwca(world, out_dir)       # out_dir/dwca/ and out_dir/dwca.zip
    build_world_dir(settings, out_dir)  # all sheets + archive in one folder, as stage=synth lays them out

Everything follows from (settings, seed, sheet index) alone. The stage is ``herbproc.synth.stage``.
"""

from herbproc.schema.synth import Settings, check_settings, synth_settings
from herbproc.synth.stage import build_world_dir, write_sheet
from herbproc.synthetic import (
    OCCURRENCE_COLUMNS,
    DwcaPaths,
    FontMissingError,
    Sheet,
    World,
    check_fonts,
    make_world,
    render_sheet,
    write_dwca,
)

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
    "make_world",
    "render_sheet",
    "synth_settings",
    "write_dwca",
    "write_sheet",
]
