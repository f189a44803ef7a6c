"""stage=synth through the shard contract, the launcher and the herbproc command; its outputs served over HTTP."""

from __future__ import annotations

import csv
import json

import httpx
import pytest
from conftest import run_cli
from PIL import Image

from herbproc import config
from herbproc.cli import main as herbproc_main
from herbproc.shard import execute_shard, shard_for
from herbproc.synth import make_world, stage
from herbproc.synth.stage import build_world_dir, write_sheet
from herbproc.synthetic import fonts

SMALL = ["synth.species=2", "synth.sheets_per_species=2", "synth.width=600", "synth.height=900"]


def compose(tmp_path, *extra: str):
    return config.compose(["stage=synth", f"run_dir={tmp_path}", *SMALL, *extra])


def test_shards_render_every_sheet_and_the_last_one_publishes(tmp_path):
    cfg = compose(tmp_path / "run", "shards=2")
    first = execute_shard(cfg, 0)
    out = tmp_path / "run" / "synth"
    assert first.done == 2 and not (out / "dwca.zip").exists()
    second = execute_shard(cfg, 1)
    assert second.done == 2
    world = make_world(cfg)
    ids = [world.gbif_id(i) for i in range(world.n_sheets)]
    assert sorted(p.stem for p in (out / "images").glob("*.jpg")) == sorted(ids)
    for gid in ids:
        with Image.open(out / "images" / f"{gid}.jpg") as im:
            assert im.format == "JPEG" and im.size == (600, 900)
        with Image.open(out / "plantmask" / f"{gid}.png") as im:
            assert im.mode == "L" and im.size == (600, 900)
        truth = json.loads((out / "truth" / f"{gid}.json").read_text())
        assert truth["gbifID"] == gid and truth["image"]["file"] == f"images/{gid}.jpg"
    assert (out / "dwca.zip").exists() and (out / "dwca" / "meta.xml").exists()
    with open(out / "taxonomy.csv", newline="") as f:
        taxa = list(csv.DictReader(f))
    assert [t["scientificName"] for t in taxa] == [t.scientific_name for t in world.taxa]
    assert not list(out.rglob("*.tmp*")), "no temporary files left"
    # the same sheets rendered alone, outside any shard, give the same bytes
    alone = tmp_path / "alone"
    write_sheet(world, 3, alone)
    for sub, ext in (("images", "jpg"), ("truth", "json"), ("plantmask", "png")):
        assert (alone / sub / f"{ids[3]}.{ext}").read_bytes() == (out / sub / f"{ids[3]}.{ext}").read_bytes()
    again = execute_shard(cfg, 0)
    assert again.done == 2 and again.skipped == 0, "a finished shard returns its marker"


def test_a_failing_sheet_is_a_failure_row_and_a_retry_renders_it(tmp_path, monkeypatch):
    cfg = compose(tmp_path, "shards=1")
    world = make_world(cfg)
    real = stage.render_sheet

    def broken(w, index):
        if index == 1:
            raise RuntimeError("paint ran out")
        return real(w, index)

    monkeypatch.setattr(stage, "render_sheet", broken)
    shard = shard_for(cfg, 0)
    result = stage.run_shard(cfg, shard)
    assert (result.done, result.failed) == (3, 1)
    bad = world.gbif_id(1)
    out = tmp_path / "synth"
    assert not any(out.rglob(f"{bad}.*")), "nothing written for the failed sheet"
    monkeypatch.setattr(stage, "render_sheet", real)
    cfg.retry_failed_items = True
    retry = stage.run_shard(cfg, shard)
    assert (retry.done, retry.skipped) == (1, 3)
    assert (out / "truth" / f"{bad}.json").exists()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("synth.species=0", "synth.species"),
        ("synth.width=-5", "synth.width"),
        ("synth.sheets_per_species=0", "synth.sheets_per_species"),
        ("synth.font_styles=[serif,gothic]", "unknown font style 'gothic'"),
        ("synth.base_url=nowhere", "synth.base_url"),
    ],
)
def test_bad_settings_stop_before_anything_runs(tmp_path, override, message):
    with pytest.raises(config.ConfigError, match=message):
        compose(tmp_path, override)


def test_a_missing_font_names_its_debian_package(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "FONT_ROOT", tmp_path / "no-fonts")
    with pytest.raises(config.ConfigError, match=r"install the Debian package\(s\) .*fonts-freefont-ttf"):
        compose(tmp_path, "synth.font_styles=[serif]")
    with pytest.raises(fonts.FontMissingError, match="fonts-gnutypewriter"):
        fonts.check_fonts(["typewriter"])


def test_launcher_runs_the_stage_and_refuses_bad_settings(tmp_path):
    run = tmp_path / "run"
    proc = run_cli("launch", "stage=synth", f"run_dir={run}", "shards=2", *SMALL, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = run / "synth"
    assert len(list((out / "images").glob("*.jpg"))) == 4
    assert len(list((out / "truth").glob("*.json"))) == 4 and (out / "dwca.zip").exists()
    bad = run_cli(
        "launch", "stage=synth", f"run_dir={tmp_path / 'bad'}", *SMALL, "synth.font_styles=[gothic]"
    )
    assert bad.returncode == 2
    assert "unknown font style 'gothic'" in bad.stderr
    assert not (tmp_path / "bad" / "synth").exists()


def test_herbproc_synth_command(tmp_path, capsys):
    args = [
        "synth",
        str(tmp_path / "w"),
        "--seed",
        "3",
        "--set",
        "species=1",
        "--set",
        "sheets_per_species=2",
    ]
    assert herbproc_main([*args, "--set", "width=600", "--set", "height=900"]) == 0
    assert "2 sheets of 1 taxa" in capsys.readouterr().out
    assert len(list((tmp_path / "w" / "images").glob("*.jpg"))) == 2
    assert herbproc_main(["synth", str(tmp_path / "x"), "--set", "species"]) == 2
    assert herbproc_main(["synth", str(tmp_path / "x"), "--set", "species=-2"]) == 2
    assert "synth.species" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_identifiers_resolve_when_the_folder_is_served(tmp_path):
    from herbproc.serve import FileServer
    from herbproc.synth import write_dwca

    settings = {"species": 1, "sheets_per_species": 2, "width": 600, "height": 900}
    world = build_world_dir(settings, tmp_path)
    with FileServer(tmp_path) as server:
        write_dwca(world, tmp_path, base_url=server.url)
        lines = (tmp_path / "dwca" / "multimedia.txt").read_text().splitlines()
        header = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(header, line.split("\t"), strict=True))
            got = httpx.get(row["identifier"], timeout=10)
            assert got.status_code == 200
            assert got.content == (tmp_path / "images" / f"{row['gbifID']}.jpg").read_bytes()
