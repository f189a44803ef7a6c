"""``stage=synth``: render the sheets of the synthetic world, shard by shard, and publish its archive.

<run_dir>/synth/images/<gbifID>.jpg      the sheet, as a herbarium would serve it
<run_dir>/synth/truth/<gbifID>.json      ground truth (see docs/synth.md)
<run_dir>/synth/plantmask/<gbifID>.png   255 = plant (stems, leaves, flowers, buds, fruits, roots)
<run_dir>/synth/dwca/ + dwca.zip         the Darwin Core Archive (finalize; never renders)
<run_dir>/synth/taxonomy.csv             the taxa and their looks (finalize)
"""

from __future__ import annotations

import csv
import io
import logging
import os
from pathlib import Path
from typing import Any

from herbproc.io import atomic_write_bytes, atomic_write_json, atomic_write_text
from herbproc.paths import RunPaths
from herbproc.schema.synth import synth_settings
from herbproc.shard import Shard, ShardResult, run_items
from herbproc.stages import Stage
from herbproc.synthetic.dwca import write_dwca
from herbproc.synthetic.fonts import check_fonts
from herbproc.synthetic.sheet import render_sheet
from herbproc.synthetic.world import World, make_world

log = logging.getLogger("herbproc.synth")
NAME = "synth"


def synth_dir(run_dir: str | os.PathLike) -> Path:
    return RunPaths(run_dir).stage_dir(NAME)


def write_sheet(world: World, index: int, out_dir: str | os.PathLike) -> dict[str, Any]:
    """Render sheet ``index`` and write its image, truth and plant mask under ``out_dir`` (atomically)."""
    out = Path(out_dir)
    sheet = render_sheet(world, index)
    gid = sheet.truth["gbifID"]
    atomic_write_bytes(out / "images" / f"{gid}.jpg", sheet.jpeg_bytes())
    atomic_write_bytes(out / "plantmask" / f"{gid}.png", sheet.mask_png_bytes())
    atomic_write_text(out / "truth" / f"{gid}.json", sheet.truth_json())
    return {"gbifID": gid, "index": index, "species_id": sheet.truth["species"]["species_id"]}


def taxonomy_csv(world: World) -> str:
    rows = [t.row() for t in world.taxa]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build_world_dir(settings: Any, out_dir: str | os.PathLike, seed: int | None = None) -> World:
    """Everything the stage makes, in one process and without a run directory (for other stages' tests)."""
    world = make_world(settings, seed)
    for i in range(world.n_sheets):
        write_sheet(world, i, out_dir)
    publish(world, out_dir)
    return world


def publish(world: World, out_dir: str | os.PathLike) -> None:
    out = Path(out_dir)
    write_dwca(world, out)
    atomic_write_text(out / "taxonomy.csv", taxonomy_csv(world))
    atomic_write_json(
        out / "world.json",
        {
            "seed": world.seed,
            "species": len(world.taxa),
            "sheets": world.n_sheets,
            "base_url": world.base_url,
            "width": world.settings.width,
            "height": world.settings.height,
            "distractors": world.settings.distractors,
        },
    )


# ------------------------------------------------------------------------------------------ the stage


def validate(cfg: Any) -> None:
    settings = synth_settings(cfg)  # the section checks itself as it is built
    check_fonts(settings.font_styles)


def run_shard(cfg: Any, shard: Shard) -> ShardResult:
    world = make_world(cfg)
    out = synth_dir(shard.run_dir)
    items = shard.select(range(world.n_sheets))
    return run_items(cfg, shard, list(items), lambda i: write_sheet(world, i, out), item_id=world.gbif_id)


def finalize(cfg: Any) -> None:
    world = make_world(cfg)
    out = synth_dir(cfg.run_dir)
    missing = sum(not (out / "images" / f"{world.gbif_id(i)}.jpg").exists() for i in range(world.n_sheets))
    if missing:
        log.warning(
            "[synth] %d of %d sheets have no image; their records still point at them",
            missing,
            world.n_sheets,
        )
    publish(world, out)
    log.info("[synth] %d sheets of %d taxa; archive at %s", world.n_sheets, len(world.taxa), out / "dwca.zip")


STAGE = Stage(NAME, run_shard, finalize=finalize, validate=validate)
