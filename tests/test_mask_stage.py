"""stage=mask on a small store: masked copies, masks and boxes beside the originals (which stay byte-identical),
failure rows for a corrupt and a huge sheet, the masked training view, HDF5 blocks of failed sheets, the report
section, and configuration errors."""

from __future__ import annotations

import json
import logging
from collections import Counter

import cv2
import numpy as np
import pandas as pd
import pytest
from mask_helpers import huge_png, store_run, synthetic_sheets

from herbproc.cli import main as herbproc_main
from herbproc.config import ConfigError, compose
from herbproc.mask.stage import boxes_table, mask_arrays, report_section, write_boxes
from herbproc.paths import RunPaths
from herbproc.shard import ShardError, execute_shard
from herbproc.sheet.detect import Detections, TextLine
from herbproc.sheet.regions import Region
from herbproc.store import StoreError, create_store, open_store


@pytest.fixture(scope="module")
def sheets():
    return synthetic_sheets(5, seed=5)


def summary_regions(run_dir) -> dict:
    return json.loads((run_dir / "mask" / "summary.json").read_text())["regions"]


def launch_in_process(run_dir, shards: int, *extra: str):
    cfg = compose(["stage=mask", f"run_dir={run_dir}", f"shards={shards}", *extra])
    from herbproc.books import ensure_plan, save_config

    paths = RunPaths(run_dir)
    ensure_plan(paths, cfg)
    save_config(paths, cfg)
    return [execute_shard(cfg, i) for i in range(shards)]


def test_stage_writes_masks_beside_untouched_originals(tmp_path, sheets, capsys):
    good = [s.jpeg_bytes() for s in sheets[:4]]
    originals = [*good, good[0], good[1]]
    corrupt = good[2][: len(good[2]) // 3] + b"\x00garbage"
    store_path = store_run(tmp_path, originals, broken={4: corrupt, 5: huge_png()})
    before = open_store(store_path)
    raw_before = [before.original(i) for i in range(len(before))]
    images_before = [bytes(before.backend.read("image", i)) for i in range(len(before))]

    results = launch_in_process(tmp_path, 2)
    assert sum(r.done for r in results) == 4 and sum(r.failed for r in results) == 2

    store = open_store(store_path)
    assert [store.original(i) for i in range(len(store))] == raw_before  # the originals, byte for byte
    assert [bytes(store.backend.read("image", i)) for i in range(len(store))] == images_before
    assert store.variant == "masked"  # the training view switches once the stage has finished
    assert list(store.column("mask_valid")) == [1, 1, 1, 1, 0, 0]

    failures = pd.read_parquet(RunPaths(tmp_path).failures("mask")).set_index("item_id")
    ids = store.gbif_ids
    assert failures.loc[ids[4], "reason"] == "decode_error"
    assert failures.loc[ids[5], "reason"] == "too_large"

    boxes = pd.read_parquet(tmp_path / "mask" / "boxes.parquet")
    assert set(boxes["gbifID"]) == set(ids[:4])
    pd.testing.assert_frame_equal(boxes, boxes_table(store))  # written block by block: the whole table
    regions = boxes[boxes["element"] == "region"]
    assert {"label", "barcode"} <= set(regions["kind"])
    assert summary_regions(tmp_path) == regions["kind"].value_counts().to_dict()
    lines = boxes[boxes["element"] == "line"]
    assert (lines["region"] >= -1).all() and len(lines) >= 4
    summary = json.loads((tmp_path / "mask" / "summary.json").read_text())
    assert summary["masked"] == 4 and summary["failures_by_reason"] == {"decode_error": 1, "too_large": 1}
    assert summary["unreadable_detections"] == 0

    for row in range(4):
        full = cv2.imdecode(np.frombuffer(store.read("mask_full", row), np.uint8), cv2.IMREAD_GRAYSCALE)
        sheet = sheets[row]
        assert full.shape == sheet.image.shape[:2] and set(np.unique(full)) <= {0, 255}
        label = next(o for o in sheet.truth["objects"] if o["kind"] == "label")
        x0, y0, x1, y1 = label["box"]
        assert (full[y0:y1, x0:x1] > 0).mean() > 0.95  # the label is masked
        assert (full[sheet.plant_mask > 0] > 0).mean() < 0.02  # the plant is not
        small = store.read("mask", row)
        assert small.shape == (90, 60) and small.max() == 255
        det = json.loads(store.read("mask_detections", row))
        assert det["width"] == sheet.image.shape[1] and det["regions"]
        assert not np.array_equal(store.image(row, variant="masked"), store.image(row, variant="raw"))

    # the sheets' ground truth, where stage=synth would have put it: the report and mask-eval score the run
    for row, sheet in enumerate(sheets[:4]):
        for sub in ("truth", "plantmask"):
            (tmp_path / "synth" / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / "synth" / "truth" / f"{ids[row]}.json").write_text(json.dumps(sheet.truth))
        (tmp_path / "synth" / "plantmask" / f"{ids[row]}.png").write_bytes(sheet.mask_png_bytes())
    cfg = compose(["stage=mask", f"run_dir={tmp_path}", "mask.report_samples=1"])
    html = report_section(cfg, tmp_path / "r")
    assert "Masked <b>4</b> of 6" in html and "decode_error" in html
    assert "Against the synthetic ground truth" in html and "label text unreadable" in html
    pngs = sorted(p.name for p in (tmp_path / "r").glob("*.png"))
    assert any(p.startswith("mask_sheet_") for p in pngs)
    assert not any(p.startswith("mask_real_") for p in pngs), "the report shows the run's own sheets only"
    assert herbproc_main(["mask-eval", "--run-dir", str(tmp_path), "--sheets", "1", "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["sheets"] == 4 and scores["plant_kept"] > 0.98 and scores["label_recall"] > 0.95
    assert scores["text_unreadable"] > 0.9


def quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


@pytest.mark.parametrize("backend", ["zarr", "hdf5"])
def test_boxes_come_from_the_stored_detections_and_a_damaged_one_is_left_out(tmp_path, backend, caplog):
    ids = [str(70 + i) for i in range(7)]
    store = create_store(tmp_path / "store", backend=backend, gbif_ids=ids, labels=[0] * 7, height=8, width=6,
                         codec="png", block=3)  # fmt: skip
    for spec in mask_arrays(store):
        store.ensure_array(spec)
    card = Region("label", quad(10, 20, 110, 70), 0.9, [1, 0])
    lines = [TextLine(quad(12, 22, 100, 40.5), 0.8, 0), TextLine(quad(12, 45, 90, 60), 0.7, 0),
             TextLine(quad(150, 200, 180, 210), 0.6, -1)]  # fmt: skip
    good = Detections(200, 300, 0.5, 12.0, [card], lines).dumps()
    stored = {
        0: (1, good),
        1: (1, '{"regions": [{"kind": "label", "polygon": [[1, 2]'),  # cut short on disk
        2: (1, '{"regions": [{"kind": "label", "score": 0.5, "lines": []}]}'),  # no polygon
        3: (0, ""),  # not masked (its mask failed): no boxes, no complaint
        4: (1, ""),  # masked, nothing found
        5: (1, "[1, 2]"),  # JSON, but not detections
        6: (1, good),
    }
    with store.writer("mask") as w:
        for row, (valid, text) in stored.items():
            w.put(row, mask_valid=valid, mask_detections=text)
    store = open_store(tmp_path / "store")

    with caplog.at_level(logging.WARNING, logger="herbproc.mask"):
        kinds, unreadable = write_boxes(store, tmp_path / "boxes.parquet")
    assert (kinds, unreadable) == (Counter({"label": 2}), 3)
    for row in (1, 2, 5):
        assert f"row {row} (gbifID {ids[row]})" in caplog.text
    boxes = pd.read_parquet(tmp_path / "boxes.parquet")
    pd.testing.assert_frame_equal(boxes, boxes_table(store))
    assert list(boxes["gbifID"].unique()) == [ids[0], ids[6]]
    first = boxes[boxes["gbifID"] == ids[0]].drop(columns=["gbifID", "polygon"])
    assert first.values.tolist() == [
        [0, "region", 0, "label", -1, -1, 0.9, 10.0, 20.0, 110.0, 70.0],
        [0, "line", 0, "text_line", 0, 1, 0.8, 12.0, 22.0, 100.0, 40.5],  # second in the card's reading order
        [0, "line", 1, "text_line", 0, 0, 0.7, 12.0, 45.0, 90.0, 60.0],
        [0, "line", 2, "text_line", -1, -1, 0.6, 150.0, 200.0, 180.0, 210.0],
    ]
    assert json.loads(boxes["polygon"].iloc[1]) == quad(12, 22, 100, 40.5).tolist()


def test_hdf5_block_of_failed_sheets_is_still_complete(tmp_path, sheets):
    originals = [sheets[0].jpeg_bytes(), sheets[1].jpeg_bytes(), sheets[1].jpeg_bytes()]
    store_path = store_run(tmp_path, originals, backend="hdf5", block=2, broken={2: b"not an image"})
    results = launch_in_process(tmp_path, 2)
    assert [r.done for r in results] == [2, 0] and results[1].failed == 1
    masked = open_store(store_path, variant="masked")  # every block's mask part exists
    assert list(masked.valid_for("masked")) == [True, True, False]
    assert masked.image(0).shape == (90, 60, 3)


def test_each_block_is_written_once_whatever_the_batch(tmp_path, sheets, monkeypatch):
    from herbproc.store.zarr_backend import ZarrBackend

    originals = [s.jpeg_bytes() for s in sheets[:3]] * 2
    store_run(tmp_path, originals, block=3)
    writes = []
    real = ZarrBackend.write_block

    def counted(self, family, block, rows, values):
        writes.append((family, block, [int(r) for r in rows]))
        return real(self, family, block, rows, values)

    monkeypatch.setattr(ZarrBackend, "write_block", counted)
    [result] = launch_in_process(tmp_path, 1, "mask.batch_size=1")
    assert result.done == 6
    assert writes == [("mask", 0, [0, 1, 2]), ("mask", 1, [3, 4, 5])]  # not one write per batch of 1
    journal = RunPaths(tmp_path).journal("mask", 0).read_text()
    assert journal.count('"held"') == 6 and journal.count('"ok"') == 6


def test_stage_needs_a_finished_download(tmp_path, sheets):
    store_path = store_run(tmp_path, [sheets[0].jpeg_bytes()])
    layout = json.loads((store_path / "layout.json").read_text())
    layout["complete"] = []
    (store_path / "layout.json").write_text(json.dumps(layout))
    with pytest.raises(ShardError, match="download has not finished"):
        launch_in_process(tmp_path, 1)
    with pytest.raises(ShardError, match="needs the run's store"):
        launch_in_process(tmp_path / "elsewhere", 1)
    with pytest.raises(StoreError, match="no masked copy"):
        open_store(store_path, variant="masked")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "mask.targets=[labels,signatures]",
            "wrong value for 'mask.targets': unknown 'signatures' (choices: labels,",
        ),
        ("mask.fill=blur", "wrong value for 'mask.fill': 'blur' (choices: auto, paper, telea, ns, black)"),
        ("mask.work_side=10", "wrong value for 'mask.work_side': 10"),
        ("mask.line_threshold=1.5", "wrong value for 'mask.line_threshold'"),
        ("mask.colour=red", "unknown key 'mask.colour'"),
        ("mask.margin=lots", "wrong type for 'mask.margin'"),
    ],
)
def test_bad_mask_settings_are_one_line_errors(tmp_path, override, message):
    with pytest.raises(ConfigError) as e:
        compose(["stage=mask", f"run_dir={tmp_path}", override])
    assert message in str(e.value) and "\n" not in str(e.value)
    assert not (tmp_path / "state").exists()


def test_decoding_an_original_is_bounded_by_bytes_not_pixels():
    import struct
    import zlib

    from herbproc.shard import ItemError
    from herbproc.store.decode import decode_original

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 10_000, 10_000, 8, 6, 0, 0, 0)  # 100 MP RGBA: under mask.max_pixels
    rgba = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
    with pytest.raises(ItemError, match=r"10000x10000 RGBA needs ~1.90 GB to decode, over 1.00 GB") as err:
        decode_original(rgba + chunk(b"IEND", b""), 150_000_000, max_bytes=10**9)  # refused before decoding
    assert err.value.reason == "too_large"
