"""Job states from Grid Engine: one ``qstat -xml`` for every job still queued, ``qacct -j`` for those that left.

Job ids are submitit's: ``<JOB_ID>`` for a single job, ``<JOB_ID>_<index from 0>`` for an array task (Grid
Engine numbers array tasks from 1: task ``t`` is submitit index ``t - 1``).

States are submitit's (SLURM-like words, which ``submitit.core.core.InfoWatcher.is_done`` understands):
PENDING, REQUEUED, RUNNING, COMPLETING are unfinished; COMPLETED, FAILED, TIMEOUT, CANCELLED, LOST are final.
"""

from __future__ import annotations

import getpass
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

#: submitit-level states that mean the job is over
FINAL_STATES = frozenset({"COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "LOST"})


class SgeCommandError(RuntimeError):
    """A Grid Engine command is missing, timed out or answered with an error."""


def run_command(cmd: list[str], timeout: float = 120, ok_codes: tuple[int, ...] = (0,)) -> tuple[int, str]:
    """Run a Grid Engine client command; returns (exit code, stdout)."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise SgeCommandError(
            f"'{cmd[0]}' not found: is this a submit host of a Grid Engine cluster?"
        ) from None
    except subprocess.TimeoutExpired:
        raise SgeCommandError(f"'{' '.join(cmd)}' did not answer within {timeout:.0f} s") from None
    if out.returncode not in ok_codes:
        raise SgeCommandError(f"'{' '.join(cmd[:3])} ...' failed: {(out.stderr or out.stdout).strip()[:500]}")
    return out.returncode, out.stdout


def split_job_id(job_id: str) -> tuple[str, int | None]:
    """``"123_4"`` -> ("123", 4); ``"123"`` -> ("123", None)."""
    number, sep, index = job_id.partition("_")
    if not number.isdigit() or (sep and not index.isdigit()):
        raise ValueError(f"not a Grid Engine job id of submitit's form (123 or 123_4): {job_id!r}")
    return number, (int(index) if sep else None)


def submitit_id(number: str, sge_task: str | int | None) -> str:
    """Grid Engine job number and task id (1-based, or None/"undefined") -> submitit job id."""
    if sge_task is None or sge_task == "undefined":
        return number
    return f"{number}_{int(sge_task) - 1}"


def parse_task_ids(text: str) -> list[int]:
    """qstat's task lists: ``"3"``, ``"3-6:1"``, ``"1-9:2"``, ``"1,4-6:1"``."""
    ids: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        span, _, step = part.partition(":")
        first, _, last = span.partition("-")
        ids.extend(range(int(first), int(last or first) + 1, int(step or 1)))
    return ids


def parse_qstat_xml(xml_text: str) -> dict[str, str]:
    """``qstat -xml`` -> {submitit job id: Grid Engine state letters (qw, hqw, r, t, Rq, Rr, Eqw, dr, ...)}."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as e:
        raise SgeCommandError(f"could not read the output of qstat -xml: {e}") from None
    states: dict[str, str] = {}
    for job in root.iter("job_list"):
        number = (job.findtext("JB_job_number") or "").strip()
        letters = (job.findtext("state") or "").strip()
        tasks = (job.findtext("tasks") or "").strip()
        if not number:
            continue
        if not tasks:
            states[number] = letters
        else:
            for task in parse_task_ids(tasks):
                states[submitit_id(number, task)] = letters
    return states


def qstat_state(letters: str) -> str:
    """Grid Engine state letters -> submitit state."""
    if "E" in letters:
        return "FAILED"  # error state: the job will not run until someone clears it (qmod -cj)
    if "d" in letters:
        return "COMPLETING"  # being deleted
    if "r" in letters or "t" in letters:
        return "RUNNING"
    if "s" in letters or "S" in letters or "T" in letters:
        return "RUNNING"  # suspended while running: it resumes by itself
    if "R" in letters:
        return "REQUEUED"
    return "PENDING"  # qw, hqw (held: dependencies), hRwq, ...


@dataclass
class AcctRecord:
    """One ``qacct -j`` record: a run of a job or of one array task."""

    job_id: str
    exit_status: int
    failed: str  # "0", or "<code> : <reason>" (25 : rescheduling, 37 : qmaster enforced h_rt..., 100 : ...)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def failed_code(self) -> int:
        head = self.failed.split(":", 1)[0].strip()
        return int(head) if head.isdigit() else -1

    @property
    def state(self) -> str:
        if self.failed_code == 25 or self.exit_status == 99:
            return "REQUEUED"  # rescheduled (exit 99, qmod -rj): another run follows
        if self.failed_code == 37:
            return "TIMEOUT"  # h_rt (or h_cpu/h_vmem) enforced
        if self.failed_code == 0 and self.exit_status == 0:
            return "COMPLETED"
        return "FAILED"


def parse_qacct(text: str) -> dict[str, AcctRecord]:
    """``qacct -j`` -> {submitit job id: its latest record} (records come in the order runs ended)."""
    records: dict[str, AcctRecord] = {}
    for block in text.split("=" * 20):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, _, value = line.strip().partition(" ")
            if key:
                fields[key] = value.strip()
        if "jobnumber" not in fields or "exit_status" not in fields:
            continue
        jid = submitit_id(fields["jobnumber"], fields.get("taskid", "undefined"))
        exit_text = fields["exit_status"].split()[0] if fields["exit_status"] else "-1"
        records[jid] = AcctRecord(
            jid, int(exit_text) if exit_text.lstrip("-").isdigit() else -1, fields.get("failed", "0"), fields
        )
    return records


def qstat(user: str | None = None) -> dict[str, str]:
    """One ``qstat -xml`` for every job of ``user`` (default: this user) -> {submitit id: state letters}."""
    _, out = run_command(["qstat", "-xml", "-u", user or getpass.getuser()], timeout=120)
    return parse_qstat_xml(out)


def qacct(number: str) -> dict[str, AcctRecord]:
    """Accounting of one job (all its array tasks); empty when not (yet) there."""
    code, out = run_command(["qacct", "-j", number], timeout=300, ok_codes=(0, 1))
    return parse_qacct(out) if code == 0 else {}


@dataclass
class StateTracker:
    """States of many jobs with one qstat per call, qacct only for jobs no longer queued, final states cached.

    A job that is neither queued nor in the accounting file yet is UNKNOWN (qacct is written asynchronously);
    after ``gone_grace_s`` of that it is LOST (accounting disabled, or the record went elsewhere).
    """

    gone_grace_s: float = 120.0
    final: dict[str, str] = field(default_factory=dict)
    missing_since: dict[str, float] = field(default_factory=dict)
    details: dict[str, dict[str, str]] = field(default_factory=dict)

    def states(self, job_ids: list[str]) -> dict[str, str]:
        todo = [j for j in job_ids if j not in self.final]
        result = {j: self.final[j] for j in job_ids if j in self.final}
        if not todo:
            return result
        queued = qstat()
        gone: dict[str, list[str]] = {}
        for jid in todo:
            if jid in queued:
                result[jid] = qstat_state(queued[jid])
                self.details[jid] = {"State": result[jid], "SgeState": queued[jid]}
                self.missing_since.pop(jid, None)
            else:
                gone.setdefault(split_job_id(jid)[0], []).append(jid)
        for number, ids in gone.items():
            records = qacct(number)
            for jid in ids:
                rec = records.get(jid)
                state = rec.state if rec else "UNKNOWN"
                if state in ("UNKNOWN", "REQUEUED"):
                    # not queued, yet no final record: the accounting file lags behind
                    first = self.missing_since.setdefault(jid, time.monotonic())
                    if time.monotonic() - first > self.gone_grace_s:
                        state = "LOST"
                if rec is not None:
                    self.details[jid] = {
                        "State": state,
                        "ExitCode": str(rec.exit_status),
                        "Failed": rec.failed,
                        "NodeList": rec.fields.get("hostname", ""),
                    }
                result[jid] = state
                if state in FINAL_STATES:
                    self.final[jid] = state
                    self.missing_since.pop(jid, None)
        return result
