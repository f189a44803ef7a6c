"""The herbproc console script."""

from __future__ import annotations

import subprocess
import sys

import herbproc
from herbproc.cli import main


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "herbproc.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and herbproc.__version__ in out.stdout


def test_no_command_prints_help_and_exit_2(capsys):
    assert main([]) == 2
    assert "usage: herbproc" in capsys.readouterr().out


def test_unknown_command_is_an_error(capsys):
    try:
        main(["frobnicate"])
    except SystemExit as e:
        assert e.code == 2
    assert "invalid choice" in capsys.readouterr().err


# --- one command line: herbproc launch|status|run|tools, one grammar, one exit-code map ---------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import REPO, run_cli  # noqa: E402

from herbproc.cli import as_options, build_parser  # noqa: E402
from herbproc.commandline import ConfigError, ExitCode, nested  # noqa: E402
from hpc.cli import main as herbproc_main  # noqa: E402


def herbproc_cmd(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hpc.cli", *args], capture_output=True, text=True, cwd=cwd or REPO, timeout=600
    )


def test_console_script_has_every_command(capsys):
    assert herbproc_main([]) == ExitCode.CONFIG_ERROR
    shown = capsys.readouterr().out
    for command in ("launch", "status", "run", "mask", "mask-eval", "ocr", "synth"):
        assert command in shown


def tool(name: str):
    parser = build_parser()
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict) and name in action.choices:
            return action.choices[name]
    raise AssertionError(name)


def test_key_value_becomes_the_tools_own_options_and_settings():
    mask = tool("mask")
    argv = ["a.jpg", "out_dir=out", "fill=telea", "mask.margin=4", "b.png"]
    assert as_options(mask, argv) == [
        "a.jpg",
        "b.png",
        "--out-dir",
        "out",
        "--set",
        "fill=telea",
        "--set",
        "mask.margin=4",
    ]
    assert as_options(tool("ocr"), ["s.jpg", "json=true", "names=taxa.txt", "trocr.printed=/m"]) == [
        "s.jpg", "--json", "--names", "taxa.txt", "--set", "trocr.printed=/m"
    ]  # fmt: skip
    assert as_options(tool("ocr"), ["s.jpg", "json=false"]) == ["s.jpg"]
    assert as_options(tool("mask-eval"), ["synth.blur=1.5", "sheets=2"]) == [
        "--synth", "blur=1.5", "--sheets", "2"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="json takes true or false"):
        as_options(tool("ocr"), ["json=maybe"])


def test_settings_read_with_hydras_grammar_and_section_prefix_optional():
    assert nested(["fill=telea", "mask.margin=4", "targets=[labels,stamps]"], strip="mask") == {
        "fill": "telea", "margin": 4, "targets": ["labels", "stamps"]
    }  # fmt: skip
    assert nested(["trocr.printed=/models/x", "min_confidence=null"], strip="ocr") == {
        "trocr": {"printed": "/models/x"}, "min_confidence": None
    }  # fmt: skip
    with pytest.raises(ConfigError, match="--set takes key=value, not 'fill'"):
        nested(["fill"])
    with pytest.raises(ConfigError, match="cannot read argument"):
        nested(["targets=[labels"])
    with pytest.raises(ConfigError, match="is a value, not a section"):
        nested(["trocr=1", "trocr.printed=/m"])


def sheet_image(path: Path) -> Path:
    img = np.full((300, 200, 3), 235, np.uint8)
    cv2.rectangle(img, (110, 220), (190, 290), (250, 250, 250), -1)
    cv2.putText(img, "Carex", (115, 260), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (20, 20, 20), 2)
    cv2.imwrite(str(path), img)
    return path


def test_mask_tool_old_flags_and_new_grammar_make_the_same_files(tmp_path):
    image = sheet_image(tmp_path / "sheet.png")
    old = herbproc_cmd("mask", str(image), "-o", str(tmp_path / "old"), "--set", "fill=black")
    new = herbproc_cmd("mask", str(image), f"out_dir={tmp_path / 'new'}", "mask.fill=black")
    assert old.returncode == new.returncode == 0, old.stderr + new.stderr
    for suffix in (".mask.png", ".masked.png"):
        assert (tmp_path / "old" / f"sheet{suffix}").read_bytes() == (
            tmp_path / "new" / f"sheet{suffix}"
        ).read_bytes()
    bad = herbproc_cmd("mask", str(image), f"out_dir={tmp_path / 'x'}", "fill=nonsense")
    assert bad.returncode == ExitCode.CONFIG_ERROR
    assert len(bad.stderr.strip().splitlines()) == 1 and "fill" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_launch_and_status_are_the_same_commands_as_the_job_scripts(tmp_path):
    args = ["stage=noop", f"run_dir={tmp_path}", "shards=2", "noop.count=4"]
    proc = herbproc_cmd("launch", *args)
    assert proc.returncode == ExitCode.DONE, proc.stderr
    via_cli = herbproc_cmd("status", f"run_dir={tmp_path}", "format=json")
    via_script = run_cli("status", f"run_dir={tmp_path}", "format=json")
    assert via_cli.returncode == via_script.returncode == 0
    cli_stage = json.loads(via_cli.stdout)["stages"][0]
    assert cli_stage == json.loads(via_script.stdout)["stages"][0]
    assert (cli_stage["done"], cli_stage["failed"]) == (2, 0)


@pytest.mark.parametrize(
    "args, message",
    [
        (("status",), "missing required value 'run_dir'"),
        (("status", "run_dir=x", "colour=red"), "unknown or bad key 'colour'"),
        (("status", "run_dir=x", "format=xml"), "wrong value for 'format': 'xml'"),
        (("status", "runs/x"), "argument 'runs/x' is not key=value"),
        (("launch", "stage=nope", "run_dir=x"), "stage"),
        (("run", "stage=mask", "run_dir=x"), "not stage=mask"),
    ],
)
def test_every_command_answers_a_bad_argument_with_one_line_and_exit_2(tmp_path, args, message):
    proc = herbproc_cmd(*args, cwd=tmp_path)
    assert proc.returncode == ExitCode.CONFIG_ERROR, proc.stderr
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr.strip().splitlines()[-1]


def test_launch_and_status_start_without_importing_the_models(tmp_path):
    """A second launch must see the first one's jobs while they run, so the scheduler edge starts in well under a
    second: launch, status and the tools' parsers import no torch or transformers (a model loads when it is used)."""
    code = (
        "import sys\n"
        "from hpc.cli import main\n"
        f"main(['launch', 'stage=noop', 'shards=2', 'run_dir={tmp_path}', 'dry_run=true'])\n"
        f"main(['status', 'run_dir={tmp_path}'])\n"
        "from herbproc.cli import build_parser\n"
        "build_parser()\n"
        "print('heavy:', sorted(m for m in ('torch', 'transformers', 'timm') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "heavy: []" in proc.stdout, proc.stdout + proc.stderr
