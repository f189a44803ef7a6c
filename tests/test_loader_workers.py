"""Loader workers do not inherit the state of the process that iterates the loader: a lock that one of its
threads holds (zarr's I/O loop, gloo, a queue feeder) is free in a worker, which reads on. A scheduler's
warning signals, which reach every process of a job, do not stop the workers; a killed trainer takes its
workers with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import torch
from torch.utils.data import Dataset

from herbproc.training.data import loader

HELD = threading.Lock()


class NeedsTheLock(Dataset):
    def __len__(self) -> int:
        return 6

    def __getitem__(self, index: int) -> torch.Tensor:
        with HELD:
            return torch.tensor(index)


def test_a_worker_reads_while_a_thread_of_the_trainer_holds_a_lock():
    release = threading.Event()
    taken = threading.Event()

    def hold() -> None:
        with HELD:
            taken.set()
            release.wait(120)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert taken.wait(10)
    try:
        feed = loader(NeedsTheLock(), [[0, 1], [2, 3], [4, 5]], workers=2, pin=False)
        feed.timeout = 60  # a worker forked from this process would wait on HELD for ever
        got = [batch.tolist() for batch in feed]
    finally:
        release.set()
        holder.join(10)
    assert got == [[0, 1], [2, 3], [4, 5]]


class Numbers(Dataset):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, index: int) -> torch.Tensor:
        return torch.tensor(index)


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_workers_outlive_the_schedulers_warnings_to_the_whole_job():
    feed = loader(Numbers(), [[0, 1], [2, 3]], workers=2, pin=False, persistent=True)
    feed.timeout = 60
    assert [b.tolist() for b in feed] == [[0, 1], [2, 3]]
    others = descendants(os.getpid())
    assert len(others) >= 3, "two workers and the resource tracker"
    for signum in (signal.SIGUSR1, signal.SIGUSR2):
        for pid in others:
            os.kill(pid, signum)
    time.sleep(1)
    assert [b.tolist() for b in feed] == [[0, 1], [2, 3]]
    assert all(running(pid) for pid in others)


TRAINER = """
import sys, time
sys.path.insert(0, {tests!r})
from test_loader_workers import Numbers
from herbproc.training.data import loader
feed = loader(Numbers(), [[0, 1], [2, 3]], workers=2, pin=False, persistent=True)
print([b.tolist() for b in feed], flush=True)
time.sleep(300)
"""


def test_a_killed_trainer_takes_its_workers_with_it():
    code = textwrap.dedent(TRAINER.format(tests=str(Path(__file__).parent)))
    trainer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert trainer.stdout.readline() == "[[0, 1], [2, 3]]\n"
        others = descendants(trainer.pid)
        assert len(others) >= 2
    finally:
        trainer.kill()
        trainer.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(running(pid) for pid in others):
        time.sleep(0.5)
    assert not [pid for pid in others if running(pid)], "workers left behind"
