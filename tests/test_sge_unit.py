"""Grid Engine plugin pieces that need no running cluster: parsing qstat/qacct, states, the job script, config."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from herbproc import config
from hpc.sge import backend as sge_backend
from hpc.sge import executor as sge_executor
from hpc.sge.states import (
    AcctRecord,
    parse_qacct,
    parse_qstat_xml,
    parse_task_ids,
    qstat_state,
    split_job_id,
    submitit_id,
)

# what `qstat -xml` printed on the one-machine cluster for an 8-task array (-tc 2) and one plain job
QSTAT_XML = """<?xml version='1.0'?>
<job_info  xmlns:xsd="http://arc.liv.ac.uk/repos/darcs/sge/source/dist/util/resources/schemas/qstat/qstat.xsd">
  <queue_info>
    <job_list state="running">
      <JB_job_number>2</JB_job_number><JB_name>exp</JB_name><state>r</state><slots>1</slots><tasks>1</tasks>
    </job_list>
    <job_list state="running">
      <JB_job_number>2</JB_job_number><JB_name>exp</JB_name><state>t</state><slots>1</slots><tasks>2</tasks>
    </job_list>
    <job_list state="running">
      <JB_job_number>3</JB_job_number><JB_name>one</JB_name><state>Rr</state><slots>1</slots>
    </job_list>
  </queue_info>
  <job_info>
    <job_list state="pending">
      <JB_job_number>2</JB_job_number><JB_name>exp</JB_name><state>qw</state><slots>1</slots><tasks>3-6:1,8</tasks>
    </job_list>
    <job_list state="pending">
      <JB_job_number>4</JB_job_number><JB_name>held</JB_name><state>hqw</state><slots>1</slots>
    </job_list>
  </job_info>
</job_info>
"""

# `qacct -j 9`: a run ended by exit 99 (rescheduled), then the rerun killed by h_rt
QACCT = """==============================================================
qname        all.q
hostname     vm
jobnumber    9
taskid       undefined
failed       25  : rescheduling
exit_status  99
==============================================================
qname        all.q
hostname     vm
jobnumber    9
taskid       undefined
failed       37  : qmaster enforced h_rt, h_cpu, or h_vmem limit
exit_status  137                  (Killed)
"""


@pytest.fixture
def no_sge_needed(monkeypatch):
    """Build executors without Grid Engine on PATH (only the job script is looked at)."""
    monkeypatch.setattr(sge_executor, "sge_available", lambda: True)


def test_task_ranges_and_ids():
    assert parse_task_ids("3-6:1,8") == [3, 4, 5, 6, 8]
    assert parse_task_ids("1-9:4") == [1, 5, 9]
    assert submitit_id("12", "1") == "12_0" and submitit_id("12", "undefined") == "12"
    assert split_job_id("12_4") == ("12", 4) and split_job_id("12") == ("12", None)
    with pytest.raises(ValueError, match="not a Grid Engine job id"):
        split_job_id("12.3")


def test_qstat_xml_gives_every_array_task_by_its_submitit_index():
    states = parse_qstat_xml(QSTAT_XML)
    assert states == {
        "2_0": "r",
        "2_1": "t",
        "2_2": "qw",
        "2_3": "qw",
        "2_4": "qw",
        "2_5": "qw",
        "2_7": "qw",
        "3": "Rr",
        "4": "hqw",
    }
    assert [qstat_state(states[j]) for j in ("2_0", "2_1", "2_2", "3", "4")] == [
        "RUNNING",
        "RUNNING",
        "PENDING",
        "RUNNING",
        "PENDING",
    ]
    assert (
        qstat_state("Eqw") == "FAILED"
        and qstat_state("Rq") == "REQUEUED"
        and qstat_state("dr") == "COMPLETING"
    )


def test_broken_qstat_output_is_a_clear_error():
    from hpc.sge.states import SgeCommandError

    with pytest.raises(SgeCommandError, match="qstat -xml"):
        parse_qstat_xml("<job_info><queue_info>")


def test_qacct_keeps_the_last_run():
    records = parse_qacct(QACCT)
    assert list(records) == ["9"]
    assert records["9"].exit_status == 137 and records["9"].state == "TIMEOUT"
    assert AcctRecord("1", 99, "25  : rescheduling").state == "REQUEUED"
    assert AcctRecord("1", 0, "0").state == "COMPLETED"
    assert AcctRecord("1", 1, "0").state == "FAILED"
    assert AcctRecord("1", 137, "100 : assumedly after job").state == "FAILED"


def test_qsub_terse_output():
    parse = sge_executor.SgeExecutor._get_job_id_from_submission_command
    assert parse("123\n") == "123" and parse(b"456.1-8:1\n") == "456"
    with pytest.raises(Exception, match="Could not make sense"):
        parse("Unable to run job: job rejected")


def test_script_directives_for_an_array(no_sge_needed, tmp_path):
    ex = sge_executor.SgeExecutor(tmp_path / "logs" / "%j")
    ex.update_parameters(
        timeout_min=2,
        signal_delay_s=30,
        slots=4,
        mem_gb=8,
        mem_resource="h_vmem",
        project="lab",
        queue="short.q",
        resources="scratch_free=10G",
        hold_jid=["5_1", "5_0", "7"],
        additional_parameters={"m": "ea"},
        setup=["module load python3"],
    )
    ex._map_count = 10
    script = ex.job_script("python -m x")
    for line in (
        "#$ -l h_rt=0:02:00",
        "#$ -pe smp 4",
        "#$ -l h_vmem=2G",  # per slot: 8 GB / 4 slots
        "#$ -P lab",
        "#$ -q short.q",
        "#$ -l scratch_free=10G",
        "#$ -hold_jid 5,7",
        "#$ -t 1-10",
        "#$ -tc 10",
        "#$ -m ea",
        "#$ -V",
        "module load python3",
        "exec python -m x",
        "SUBMITIT_SGE_DEADLINE=$(( $(date +%s) + 90 ))",
    ):
        assert line in script.splitlines() or line in script, line
    assert script.index("module load python3") < script.index("exec python -m x")
    assert "s_rt" not in script


def test_s_rt_mode_and_short_limits(no_sge_needed, tmp_path):
    ex = sge_executor.SgeExecutor(tmp_path / "%j")
    ex.update_parameters(timeout_min=0.5, signal_delay_s=100, use_s_rt=True, export_env=False, env={"A": "1"})
    script = ex.job_script("true")
    assert "#$ -l h_rt=0:00:30,s_rt=0:00:15" in script  # the warning never comes before half-time
    assert "SUBMITIT_SGE_DEADLINE=$" not in script and "#$ -V" not in script and "#$ -v A=1" in script


def test_log_paths_are_quoted_for_the_shell(no_sge_needed, tmp_path):
    folder = tmp_path / 'we"ird$dir' / "%j"
    ex = sge_executor.SgeExecutor(folder)
    script = ex.job_script("true")
    line = next(x for x in script.splitlines() if x.startswith("exec >>"))
    out = subprocess.run(
        [
            "bash",
            "-c",
            f"SUBMITIT_SGE_JOB_ID=5_2 SUBMITIT_SGE_GLOBAL_RANK=0; echo {line.split('>>')[1].split()[0]}",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert out == str(tmp_path / 'we"ird$dir' / "5_2" / "5_2_0_log.out")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"timeout_min": 0}, "timeout_min must be positive"),
        ({"slots": 0}, "slots must be at least 1"),
        ({"nodes": 2}, "on one host"),
        ({"tasks_per_node": 0}, "tasks_per_node must be at least 1"),
        ({"project": "a b"}, "is not a Grid Engine name"),
        ({"resources": "a=1\n#$ -q x"}, "is not a resource list"),
        ({"hold_jid": ["12.3"]}, "not a Grid Engine job id"),
        ({"setup": "module load x"}, "list of shell lines"),
        ({"env": {"A": "1,2"}}, "commas"),
        ({"bogus": 1}, "Unavailable parameter"),
    ],
)
def test_bad_parameters_are_refused(no_sge_needed, tmp_path, params, message):
    ex = sge_executor.SgeExecutor(tmp_path / "%j")
    before = dict(ex.parameters)
    with pytest.raises(ValueError, match=message):
        ex.update_parameters(**params)
    assert ex.parameters == before, "a refused update changes nothing"


def test_folder_with_a_colon_is_refused(no_sge_needed, tmp_path):
    """qsub reads -o host:path; spaces and quotes are fine since -o/-e are qsub arguments, not #$ lines."""
    with pytest.raises(ValueError, match="colon"):
        sge_executor.SgeExecutor(tmp_path / "a:b" / "%j")
    ex = sge_executor.SgeExecutor(tmp_path / "my 'logs'" / "%j")
    out = f"{tmp_path}/my 'logs'/_sge/"
    assert ex._make_submission_command(Path("s.sh")) == ["qsub", "-terse", "-o", out, "-e", out, "s.sh"]


def test_without_grid_engine_the_executor_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(
        sge_executor.shutil, "which", lambda name: "/usr/bin/qsub" if name == "qsub" else None
    )
    assert not sge_executor.sge_available(), "qsub alone (PBS has one too) is not Grid Engine"
    with pytest.raises(RuntimeError, match="Grid Engine not found"):
        sge_executor.SgeExecutor(tmp_path / "%j")


def test_scc_profile_maps_stage_resources(no_sge_needed, tmp_path):
    cfg = config.compose(
        [
            "stage=noop",
            f"run_dir={tmp_path}",
            "cluster=scc",
            "cluster.project=mylab",
            "stage.cpus=4",
            "stage.mem_gb=16",
            "stage.gpus=2",
            "stage.timeout_min=90",
        ]
    )
    ex = sge_backend.SgeBackend().executor(cfg, tmp_path / "%j")
    lines = ex.directives()
    for expected in (
        "#$ -P mylab",
        "#$ -pe omp 4",
        "#$ -l mem_per_core=4G",
        "#$ -l gpus=2",
        "#$ -l gpu_c=7.0",
        "#$ -l h_rt=1:30:00",
        "#$ -N herbproc-noop",
    ):
        assert expected in lines
    assert "SUBMITIT_SGE_DEADLINE=$(( $(date +%s) + 5100 ))" in ex.job_script("true")  # 300 s before h_rt


def test_scc_without_project_is_a_config_error(tmp_path):
    with pytest.raises(config.ConfigError, match="missing required value 'cluster.project' for cluster scc"):
        config.compose(["stage=noop", f"run_dir={tmp_path}", "cluster=scc"])
    assert not any(tmp_path.iterdir()), "nothing written"


@pytest.mark.parametrize(
    "override, message",
    [
        ("cluster.use_s_rt=maybe", "use_s_rt"),
        ("cluster.gpu_extras=1", "unknown key"),
        ("cluster.mem_per_slot=3x", "mem_per_slot"),
    ],
)
def test_bad_sge_settings_are_config_errors(tmp_path, override, message):
    with pytest.raises(config.ConfigError, match=message):
        config.compose(["stage=noop", f"run_dir={tmp_path}", "cluster=sge", override])


def test_bad_site_value_is_a_scheduler_error_before_submission(no_sge_needed, tmp_path):
    from hpc.backends import SchedulerError

    cfg = config.compose(
        ["stage=noop", f"run_dir={tmp_path}", "cluster=sge", "cluster.pe=bad pe", "stage.cpus=2"]
    )
    with pytest.raises(
        SchedulerError, match="cluster sge, stage noop: pe='bad pe' is not a Grid Engine name"
    ):
        sge_backend.SgeBackend().executor(cfg, tmp_path / "%j")


def test_dependency_and_cancel_hint_use_job_numbers():
    b = sge_backend.SgeBackend()
    assert b.dependency(["12_0", "12_1", "9"]) == {"hold_jid": ["9", "12"]}
    assert b.dependency([]) == {}
    assert b.cancel_hint(["12_0", "12_3", "9"]) == "qdel 9 12"
