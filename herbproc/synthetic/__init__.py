"""The synthetic herbarium world, our test bench: taxa, specimens, rendered sheets with ground truth, a Darwin
Core Archive. A library: the synth stage writes it to disk, mask-eval and the benchmarks render from it.

    world = make_world({"species": 3, "sheets_per_species": 2}, seed=7)
    world.records()                  # one dict per sheet (occurrence columns + identifier + truth flags)
    sheet = render_sheet(world, 0)   # sheet.image (H x W x 3 RGB), sheet.truth (dict), sheet.plant_mask
    write_dwca(world, out_dir)       # out_dir/dwca/ and out_dir/dwca.zip

Everything follows from (settings, seed, sheet index) alone.
"""

from herbproc.synthetic.dwca import DwcaPaths, write_dwca
from herbproc.synthetic.fonts import FontMissingError, check_fonts
from herbproc.synthetic.sheet import Sheet, render_sheet
from herbproc.synthetic.world import OCCURRENCE_COLUMNS, World, make_world

__all__ = [
    "OCCURRENCE_COLUMNS",
    "DwcaPaths",
    "FontMissingError",
    "Sheet",
    "World",
    "check_fonts",
    "make_world",
    "render_sheet",
    "write_dwca",
]
