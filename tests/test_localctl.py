"""The local executor's controller makes its job's log folder itself (hpc.localctl): a controller that starts
before the submitting process has made that folder (a loaded machine) still runs its job."""

from __future__ import annotations

import sys
import time

from hpc.localctl import start_controller


def test_the_controller_makes_its_own_log_folder(tmp_path):
    folder = tmp_path / "logs" / "%j"
    # started bare, as a submitting process that has not got round to making <pid>/ would leave it
    process = start_controller(folder, f"{sys.executable} -c \"print('ran')\"", timeout_min=1.0)
    assert process.wait(timeout=60) == 0
    job = tmp_path / "logs" / str(process.pid)
    log = job / f"{process.pid}_0_log.out"
    deadline = time.monotonic() + 5
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.read_text().strip() == "ran"


def test_a_setup_line_runs_before_the_controller(tmp_path):
    folder = tmp_path / "logs" / "%j"
    marker = tmp_path / "setup-ran"
    process = start_controller(folder, f"{sys.executable} -c \"print('ran')\"", setup=[f"touch {marker}"])
    assert process.wait(timeout=60) == 0
    assert marker.exists()
    assert (tmp_path / "logs" / str(process.pid) / f"{process.pid}_0_log.out").read_text().strip() == "ran"
