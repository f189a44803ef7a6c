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
