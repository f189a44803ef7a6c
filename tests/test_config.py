"""Configuration errors end with one clear line, exit code 2, and nothing written."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO, run_cli

from herbproc.config import ConfigError, compose, group_options, load_yaml


def test_compose_merges_stage_cluster_data_and_overrides(tmp_path):
    cfg = compose(
        [
            "stage=noop",
            f"run_dir={tmp_path}",
            "cluster=slurm",
            "cluster.partition=gpu",
            "shards=7",
            "noop.fail_items=[a,b]",
        ]
    )
    assert cfg.stage.name == "noop" and cfg.stage.module == "herbproc.noop"
    assert cfg.cluster.executor == "slurm" and cfg.cluster.partition == "gpu"
    assert cfg.shards == 7 and list(cfg.noop.fail_items) == ["a", "b"]
    assert cfg.data.name == "none" and "synth" not in cfg.pipeline.stages
    demo = compose(["stage=pipeline", f"run_dir={tmp_path}", "data=demo"])
    assert demo.pipeline.stages[0] == "synth" and demo.pipeline.serve_images and demo.shards == 2


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["stage=noop", "shardz=3"], "unknown key 'shardz': did you mean shards?"),
        (["stage=noop", "noop.cuont=3"], "unknown key 'noop.cuont' in 'noop': did you mean count?"),
        (["stage=noop", "shards=abc"], "wrong type for 'shards': 'abc' is not a valid integer"),
        (["stage=noop", "wait=maybe"], "wrong type for 'wait': 'maybe' is not a valid bool"),
        (["stage=noop", "wait=3"], "wrong type for 'wait': '3' is not a valid bool (true or false)"),
        (["stage=noop", "ocr.reread=0"], "wrong type for 'ocr.reread': '0' is not a valid bool (true or false)"),
        (["stage=nosuchstage"], "unknown stage 'nosuchstage' (choices: "),
        (["stage=noop", "cluster=pbs"], "unknown cluster 'pbs' (choices: "),
        (["stage=noop", "data=nowhere"], "unknown data 'nowhere' (choices: "),
        (
            ["stage=noop", "cluster.executor=pbs"],
            "wrong value for 'cluster.executor': 'pbs' (choices: local, slurm, sge)",
        ),
        (["stage=noop", "shards=0"], "wrong value for 'shards': 0 (must be at least 1)"),
        (["shards=3"], "missing required value 'stage' (choices: "),
        (["stage=noop", "shards"], "argument 'shards' is not key=value"),
        (["stage=noop", "shards=[1,"], "cannot read argument 'shards=[1,'"),
        (["stage=noop", "cluster.poll_s=-1"], "wrong value for 'cluster.poll_s': -1.0 (must be above 0)"),
        (["stage=noop", "max_item_attempts=0"], "wrong value for 'max_item_attempts': 0 (must be at least 1)"),
        (["stage=download"], "manifest.parquet does not exist: run stage=ingest first"),
        (["stage=noop", "stage.gpus=-1"], "wrong value for 'stage.gpus': -1 (must be >= 0)"),
        (["stage=noop", "stage.mem_gb=0"], "wrong value for 'stage.mem_gb': 0.0 (must be more than 0)"),
        (["stage=noop", "per_stage.trian.stage.gpus=1"], "unknown stage 'per_stage.trian' (choices: "),
        (["stage=noop", "per_stage.noop=4"], "wrong value for 'per_stage.noop': give its settings by key"),
        (["stage=noop", "per_stage.noop.cluster=slurm"], "'cluster' is chosen for every stage, not one"),
        (["stage=noop", "per_stage.noop.stage.gpuz=1"], "unknown key 'stage.gpuz' in 'stage': did you mean gpus?"),
        (["stage=noop", "per_stage.noop.stage.gpus=two"], "wrong type for 'stage.gpus': 'two' is not a valid"),
        (["stage=noop", "per_stage.noop.wait=3"], "wrong type for 'wait': '3' is not a valid bool"),
        (["stage=noop", "per_stage.noop.stage.mem_gb=-2"], "wrong value for 'stage.mem_gb': -2.0"),
        (
            ["stage=noop", "ocr.field_calibration=3"],
            "wrong type for 'ocr.field_calibration': '3' (expected str or bool)",
        ),
        (
            ["stage=noop", "ocr.field_calibration=/no/table.json"],
            "wrong value for 'ocr.field_calibration': '/no/table.json' (field calibration /no/table.json: no such",
        ),
    ],
)
def test_config_errors_are_one_line_exit_2_nothing_written(tmp_path, args, expected):
    run_dir = tmp_path / "run"
    proc = run_cli("launch", *args, f"run_dir={run_dir}")
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
    assert "Traceback" not in proc.stderr
    assert not run_dir.exists()


def test_per_stage_settings_apply_to_their_stage_alone(tmp_path):
    given = [f"run_dir={tmp_path}", "cluster=slurm", "per_stage.train.stage.gpus=4",
             "per_stage.train.cluster.partition=gpu", "per_stage.train.cluster.setup=['module load cuda']"]  # fmt: skip
    train = compose(["stage=train", *given], check_inputs=False)
    mask = compose(["stage=mask", *given], check_inputs=False)
    assert (train.stage.gpus, train.cluster.partition, list(train.cluster.setup)) == (4, "gpu", ["module load cuda"])
    assert (mask.stage.gpus, mask.cluster.partition, list(mask.cluster.setup)) == (0, None, [])
    # the command line's per_stage is the most specific; a key given for every stage gives way to it
    both = compose(["stage=train", f"run_dir={tmp_path}", "stage.gpus=0", "per_stage.train.stage.gpus=2"],
                   check_inputs=False)  # fmt: skip
    assert both.stage.gpus == 2
    ocr = compose(["stage=ocr", f"run_dir={tmp_path}", "shards=200", "per_stage.ocr.shards=400",
                   "per_stage.ocr.ocr.threads=4"], check_inputs=False)  # fmt: skip
    assert (ocr.shards, ocr.ocr.threads) == (400, 4)  # any key, not only resources


def test_a_profiles_per_stage_settings_give_way_to_the_command_line(tmp_path):
    # the small profiles run tiny models on the CPU: their GPU stages ask for no GPU and little memory, so that a
    # laptop's or a one-machine cluster's scheduler takes them
    for data in ("demo", "gbif_small"):
        for stage in ("train", "evaluate", "predict", "phenology"):
            cfg = compose([f"stage={stage}", f"run_dir={tmp_path}", f"data={data}"], check_inputs=False)
            assert cfg.stage.gpus == 0 and cfg.stage.mem_gb <= 4 and cfg.stage.cpus <= 2, (data, stage)
        train = compose(["stage=train", f"run_dir={tmp_path}", f"data={data}", "stage.gpus=1", "stage.cpus=6"],
                        check_inputs=False)  # fmt: skip
        assert (train.stage.gpus, train.stage.cpus, train.stage.mem_gb) == (1, 6, 4)
    plain = compose(["stage=train", f"run_dir={tmp_path}"], check_inputs=False)
    assert plain.stage.gpus == 1  # the stage's own, on a real cluster


def test_the_gbif_profiles_per_stage_example_composes_once_uncommented(tmp_path):
    text = (REPO / "configs" / "data" / "gbif.yaml").read_text()
    block = "\n".join(line[2:] for line in text.splitlines() if line.startswith(("# per_stage", "#   ")))
    example = yaml.safe_load(block)["per_stage"]
    assert {"train", "predict"} <= set(example)

    def flat(node, prefix: str) -> list[str]:
        if not isinstance(node, dict):
            return [f"{prefix}={node}"]
        return [kv for k, v in node.items() for kv in flat(v, f"{prefix}.{k}")]

    weights = tmp_path / "ViT-B_16.npz"
    weights.write_bytes(b"")
    given = [f"run_dir={tmp_path}", "data=gbif", "cluster=slurm", f"train.pretrained={weights}",
             *flat(example, "per_stage")]  # fmt: skip
    train = compose(["stage=train", *given], check_inputs=False)
    mask = compose(["stage=mask", *given], check_inputs=False)
    assert (train.cluster.partition, train.stage.gpus, train.stage.tasks_per_node) == ("gpu", 4, 4)
    assert mask.cluster.partition is None and mask.stage.gpus == 0


def test_missing_run_dir_is_named(tmp_path):
    proc = run_cli("launch", "stage=noop", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: missing required value 'run_dir' (give run_dir=<dir>)"
    assert list(tmp_path.iterdir()) == []


def test_unknown_stage_lists_every_stage():
    with pytest.raises(ConfigError) as err:
        compose(["stage=nope", "run_dir=x"])
    for name in group_options("stage"):
        assert name in str(err.value)


def test_resolved_config_saved_in_run_dir(tmp_path):
    proc = run_cli("launch", "stage=noop", f"run_dir={tmp_path}", "noop.count=2", "shards=1")
    assert proc.returncode == 0, proc.stderr
    saved = (tmp_path / "config" / "noop.yaml").read_text()
    assert "count: 2" in saved and "module: herbproc.noop" in saved and "???" not in saved


def test_site_specific_scheduler_options_can_be_added(tmp_path):
    base = ["stage=noop", f"run_dir={tmp_path}", "cluster=slurm"]
    cfg = compose([*base, "cluster.additional.mail_type=END", "cluster.additional.exclude=node12"])
    assert dict(cfg.cluster.additional) == {"mail_type": "END", "exclude": "node12"}
    cfg = compose([*base, "cluster.additional={exclude:node12}"])
    assert dict(cfg.cluster.additional) == {"exclude": "node12"}


def test_a_run_dir_that_is_a_file_is_a_config_error(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep")
    proc = run_cli("launch", "stage=noop", f"run_dir={a_file}")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"error: wrong value for 'run_dir': {a_file} is a file, not a folder"
    assert a_file.read_text() == "keep"


SELF_CHECKED = [
    ("download.concurrency=0", "'download.concurrency'"),
    ("storage.codec=gif", "'storage.codec'"),
    ("mask.fill=glitter", "'mask.fill'"),
    ("ocr.engine=abacus", "'ocr.engine'"),
    ("synth.species=0", "'synth.species'"),
    ("train.optimizer=lion", "'train.optimizer'"),
    ("train.ielt.num_heads=5", "train.model / train.ielt"),
    ("phenology.mode=both", "'phenology.mode'"),
    ("predict.split=holdout", "'predict.split'"),
    ("evaluate.topk=0", "'evaluate.topk'"),
    ("ingest.label_level=kingdom", "'ingest.label_level'"),
    ("export.license=GPL", "'export.license'"),
    ("report.max_failure_rows=-1", "'report.max_failure_rows'"),
    ("cluster.max_array_size=0", "'cluster.max_array_size'"),
    ("stage.cpus=0", "'stage.cpus'"),
    ("store=sqlite", "'store'"),
]


@pytest.mark.parametrize(("override", "message"), SELF_CHECKED)
def test_a_section_checks_itself_when_it_is_built(tmp_path, override, message):
    """Each section's dataclass checks its values in __post_init__: building it (OmegaConf.to_object) raises,
    and so does composing any stage's configuration, whether or not that stage reads the section."""
    from omegaconf import OmegaConf

    key = override.split("=")[0]
    section = key.split(".")[0] if "." in key else None
    good = compose(["stage=noop", f"run_dir={tmp_path}"])
    node = good[section] if section else good
    assert OmegaConf.to_object(node) is not None
    OmegaConf.update(good, key, yaml.safe_load(override.split("=", 1)[1]), merge=False)
    with pytest.raises(ValueError, match=re.escape(message)):
        OmegaConf.to_object(good[section] if section else good)
    with pytest.raises(ConfigError, match=re.escape(message)):
        compose(["stage=noop", f"run_dir={tmp_path}", override])


def test_the_export_choices_are_the_ones_the_archive_writer_knows():
    from herbproc.export import dwca
    from herbproc.schema import export

    assert tuple(dwca.LICENSES) == export.LICENSES
    assert tuple(dwca.MEDIA_EXTENSIONS) == export.MEDIA_EXTENSIONS


def test_composing_checks_the_model_sections_without_importing_torch(tmp_path):
    """train.model / train.ielt are checked against the IELT presets at compose time, yet the launcher stays
    light: the presets load without the model (herbproc.models.ielt loads its names lazily)."""
    code = (
        "import sys\n"
        "from herbproc.config import ConfigError, compose\n"
        f"compose(['stage=noop', 'run_dir={tmp_path}'])\n"
        "try:\n"
        f"    compose(['stage=noop', 'run_dir={tmp_path}', 'train.model=vit_h14'])\n"
        "except ConfigError as e:\n"
        "    assert 'preset' in str(e), e\n"
        "else:\n"
        "    raise SystemExit('no error')\n"
        "assert 'torch' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr


def test_load_yaml_reads_what_omegaconf_load_reads(tmp_path):
    """The saved configurations are read through libyaml with OmegaConf's rules: the same values and types."""
    from omegaconf import OmegaConf

    files = sorted((REPO / "configs").rglob("*.yaml"))
    saved = tmp_path / "saved.yaml"
    saved.write_text(OmegaConf.to_yaml(compose(["stage=noop", f"run_dir={tmp_path}", "data=demo"]), resolve=True))
    odd = tmp_path / "odd.yaml"
    odd.write_text("a: 1e3\nb: 2001-12-14\nc: .5\nd: 1_000\ne: yes\nf: ~\ng: '007'\nh: [1, x, 2.5]\n")
    for path in [*files, saved, odd]:
        assert load_yaml(path) == OmegaConf.load(path), path
        assert OmegaConf.to_yaml(load_yaml(path)) == OmegaConf.to_yaml(OmegaConf.load(path)), path
    twice = tmp_path / "twice.yaml"
    twice.write_text("a: 1\nb:\n  c: 2\n  c: 3\n")
    with pytest.raises(yaml.constructor.ConstructorError, match="found duplicate key c"):
        load_yaml(twice)
    (tmp_path / "empty.yaml").write_text("")
    assert load_yaml(tmp_path / "empty.yaml") == OmegaConf.create()
