"""``herbproc synth OUT_DIR``: a synthetic world in one folder (sheets, truth, plant masks, archive), no scheduler."""

from __future__ import annotations

import argparse
import sys
import time

from herbproc.commandline import nested
from herbproc.schema.synth import synth_settings
from herbproc.synthetic.fonts import check_fonts


def run(args: argparse.Namespace) -> int:
    from herbproc.synth.stage import build_world_dir

    seed = {} if args.seed is None else {"seed": args.seed}
    settings = synth_settings(nested(args.set, strip="synth", example="width=600"), **seed)
    check_fonts(settings.font_styles)
    t0 = time.monotonic()
    world = build_world_dir(settings, args.out_dir)
    took = time.monotonic() - t0
    print(
        f"{world.n_sheets} sheets of {len(world.taxa)} taxa in {args.out_dir} "
        f"({took / max(1, world.n_sheets):.2f} s per sheet); archive: {args.out_dir}/dwca.zip",
        file=sys.stdout,
    )
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("synth", help="render a synthetic herbarium world into a folder")
    p.add_argument("out_dir", help="folder for images/, truth/, plantmask/, dwca/, dwca.zip, taxonomy.csv")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any synth.* setting")
    p.set_defaults(func=run)
