#!/usr/bin/env bash
# A real Grid Engine (Son of Grid Engine 8.1.9, Debian packages) on this one machine, for tests and for trying
# herbproc's `cluster=sge`. Debian/Ubuntu, run as root, no systemd needed.
#
#   bash hpc/localcluster/sge.sh install   # apt: gridengine-master gridengine-exec gridengine-client (debconf preseeded)
#   bash hpc/localcluster/sge.sh start     # configure and start sge_qmaster + sge_execd (no-op when already up)
#   bash hpc/localcluster/sge.sh status    # exit 0 when the cluster answers (qstat + queue all.q)
#   bash hpc/localcluster/sge.sh selftest  # a 4-task array through qsub, then qacct
#   bash hpc/localcluster/sge.sh stop      # stop what 'start' started
#
# Knobs (read by start; a running cluster is reconfigured when they differ):
#   SGE_SLOTS        slots of queue all.q (default: nproc). Slots are not cores: tests may ask for more.
#   SGE_MAX_AJ_TASKS largest array job the scheduler accepts (global max_aj_tasks; default 1000, SGE's own: 75000)
# Queue all.q has `rerun TRUE` (a job that exits 99 or is hit by `qmod -rj` runs again) and PE `smp`.
# Clients need SGE_ROOT=/var/lib/gridengine SGE_CELL=default in their environment.
set -euo pipefail
HOST=$(hostname -s)
SLOTS=${SGE_SLOTS:-$(nproc)}
MAX_AJ_TASKS=${SGE_MAX_AJ_TASKS:-1000}
export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
COMMON=$SGE_ROOT/$SGE_CELL/common
RUN=/var/run/gridengine
QMASTER_PID=/var/spool/gridengine/qmaster/qmaster.pid
EXECD_PID=$RUN/execd.pid
CFG=$(mktemp -d /tmp/herbproc-sge.XXXXXX)
trap 'rm -rf "$CFG"' EXIT

need_root() { [ "$(id -u)" = 0 ] || { echo "sge.sh: run as root (it installs packages and starts daemons)" >&2; exit 1; }; }

# Another apt/dpkg run may hold the locks for a while: wait for it rather than fail.
wait_dpkg() {
  for _ in $(seq 1 300); do
    fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1 || return 0
    sleep 1
  done
  echo "sge.sh: apt/dpkg is still busy after 5 minutes" >&2; return 1
}

installed() { command -v sge_qmaster >/dev/null && command -v sge_execd >/dev/null && command -v qsub >/dev/null \
  && [ -f "$COMMON/bootstrap" ]; }

install() {
  need_root
  if installed; then echo "sge: already installed"; return; fi
  wait_dpkg; apt-get update -qq || true
  wait_dpkg
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends debconf-utils
  for p in gridengine-common gridengine-client gridengine-master gridengine-exec; do
    printf '%s shared/gridenginemaster string %s\n%s shared/gridenginecell string default\n%s shared/gridengineconfig boolean true\n' \
      "$p" "$HOST" "$p" "$p"
  done | debconf-set-selections
  # gridengine-master's postinst initialises the cell (berkeleydb spool, admin user sgeadmin)
  wait_dpkg
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends \
      gridengine-master gridengine-exec gridengine-client
  installed || { echo "sge: installation did not produce $COMMON/bootstrap" >&2; exit 1; }
}

# qconf prints columns padded with spaces: compare the settings, not the layout
same() { cmp -s <(tr -s ' \t' ' ' < "$1") <(tr -s ' \t' ' ' < "$2"); }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
queue_up() { qstat -f -q all.q 2>/dev/null | grep -q "all.q@$HOST "; }
is_up() { alive "$QMASTER_PID" && alive "$EXECD_PID" && qstat >/dev/null 2>&1 && qconf -sq all.q >/dev/null 2>&1; }

start_qmaster() {
  # This VM maps 127.0.0.1 to "localhost" first: qmaster then sees clients as "localhost" while they call
  # themselves "$HOST" ("commlib error: access denied"). SGE's own fix is a host alias.
  echo "$HOST localhost $(awk '$1=="127.0.0.1"{for(i=2;i<=NF;i++) if($i!="localhost" && $i!="'"$HOST"'") printf "%s ", $i}' /etc/hosts)" \
      > "$COMMON/host_aliases"
  echo "$HOST" > "$COMMON/act_qmaster"
  mkdir -p "$RUN" /var/spool/gridengine/execd
  chown sgeadmin:sgeadmin "$RUN" /var/spool/gridengine/execd
  alive "$QMASTER_PID" || setsid /usr/sbin/sge_qmaster   # own session: outlives the shell that started it
  for _ in $(seq 1 120); do qstat >/dev/null 2>&1 && return; sleep 0.25; done
  echo "sge: sge_qmaster did not answer; see /var/spool/gridengine/qmaster/messages" >&2; exit 1
}

configure_global() {
  # root may run jobs, #! lines are honoured, load reports (which also free the slots of ended jobs: a
  # rescheduled job waited 11 s with 5 s) and accounting every second, a low max_aj_tasks
  qconf -sconf global > "$CFG/global.old"
  sed -e 's/^min_uid .*/min_uid 0/' -e 's/^min_gid .*/min_gid 0/' \
      -e 's/^shell_start_mode .*/shell_start_mode unix_behavior/' -e 's/^load_report_time .*/load_report_time 00:00:01/' \
      -e 's|^mailer .*|mailer /bin/true|' -e 's/flush_time=[0-9:]*/flush_time=00:00:01/' \
      -e "s/^max_aj_tasks .*/max_aj_tasks $MAX_AJ_TASKS/" "$CFG/global.old" > "$CFG/global"
  same "$CFG/global.old" "$CFG/global" || qconf -Mconf "$CFG/global" >/dev/null
}

configure_scheduler() {
  # 1 s scheduling cycle instead of 15 s (the first array took 27 s with the defaults)
  qconf -ssconf > "$CFG/sched.old"
  sed -e 's/^schedule_interval .*/schedule_interval 0:0:1/' \
      -e 's/^flush_submit_sec .*/flush_submit_sec 1/' -e 's/^flush_finish_sec .*/flush_finish_sec 1/' \
      "$CFG/sched.old" > "$CFG/sched"
  same "$CFG/sched.old" "$CFG/sched" || qconf -Msconf "$CFG/sched" >/dev/null
}

configure_queue() {
  qconf -ss 2>/dev/null | grep -qx "$HOST" || qconf -as "$HOST" >/dev/null
  if ! qconf -sp smp >/dev/null 2>&1; then
    printf 'pe_name smp\nslots 9999\nuser_lists NONE\nxuser_lists NONE\nstart_proc_args /bin/true\nstop_proc_args /bin/true\nallocation_rule $pe_slots\ncontrol_slaves TRUE\njob_is_first_task TRUE\nurgency_slots min\naccounting_summary FALSE\nqsort_args NONE\n' > "$CFG/pe_smp"
    qconf -Ap "$CFG/pe_smp" >/dev/null
  fi
  if ! qconf -shgrp @allhosts >/dev/null 2>&1; then
    printf 'group_name @allhosts\nhostlist %s\n' "$HOST" > "$CFG/allhosts"; qconf -Ahgrp "$CFG/allhosts" >/dev/null
  fi
  if ! qconf -sq all.q >/dev/null 2>&1; then
    {
      printf 'qname all.q\nhostlist @allhosts\nseq_no 0\nload_thresholds NONE\nsuspend_thresholds NONE\n'
      printf 'nsuspend 1\nsuspend_interval 00:05:00\npriority 0\nmin_cpu_interval 00:05:00\nprocessors UNDEFINED\n'
      printf 'qtype BATCH INTERACTIVE\nckpt_list NONE\npe_list smp\nrerun TRUE\nslots %s\ntmpdir /tmp\n' "$SLOTS"
      printf 'shell /bin/bash\nprolog NONE\nepilog NONE\nshell_start_mode unix_behavior\nstarter_method NONE\n'
      printf 'suspend_method NONE\nresume_method NONE\nterminate_method NONE\nnotify 00:00:60\nowner_list NONE\n'
      printf 'user_lists NONE\nxuser_lists NONE\nsubordinate_list NONE\ncomplex_values NONE\nprojects NONE\n'
      printf 'xprojects NONE\ncalendar NONE\ninitial_state default\n'
      for lim in rt cpu fsize data stack core rss vmem; do printf 's_%s INFINITY\nh_%s INFINITY\n' "$lim" "$lim"; done
    } > "$CFG/all.q"
    qconf -Aq "$CFG/all.q" >/dev/null
  fi
  # an existing queue keeps its other settings; these two the tests rely on
  [ "$(qconf -sq all.q | awk '$1=="slots"{print $2}')" = "$SLOTS" ] || qconf -mattr queue slots "$SLOTS" all.q >/dev/null
  [ "$(qconf -sq all.q | awk '$1=="rerun"{print $2}')" = "TRUE" ] || qconf -mattr queue rerun TRUE all.q >/dev/null
}

start_execd() {
  alive "$EXECD_PID" || SGE_EXECD_PIDFILE=$EXECD_PID setsid /usr/sbin/sge_execd
  for _ in $(seq 1 120); do
    qstat -f -q all.q 2>/dev/null | grep -q "all.q@$HOST .* lx-amd64 *$" && return; sleep 0.25
  done
  echo "sge: sge_execd did not register; see /var/spool/gridengine/execd/$HOST/messages" >&2; exit 1
}

configure() { configure_global; configure_scheduler; configure_queue; }

start() {
  need_root
  installed || { echo "sge: not installed; run: bash $0 install" >&2; exit 1; }
  if is_up && queue_up; then
    configure   # applies changed knobs; nothing happens when they are as asked
    echo "sge: already running (slots $SLOTS, max_aj_tasks $MAX_AJ_TASKS)"; return
  fi
  start_qmaster
  configure
  start_execd
  qstat -f
}

stop() {
  for f in "$EXECD_PID" "$QMASTER_PID"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  done
}

selftest() {
  out=$(mktemp -d /tmp/herbproc-sge-selftest.XXXXXX)
  printf '#!/bin/bash\necho task=$SGE_TASK_ID host=$HOSTNAME; sleep 1\n' > "$out/st.sh"
  jid=$(qsub -terse -N st -j y -o "$out/\$JOB_NAME.\$JOB_ID.\$TASK_ID.out" -t 1-4 "$out/st.sh" | cut -d. -f1)
  while qstat | grep -q "^ *$jid "; do sleep 0.5; done
  cat "$out"/st."$jid".*.out
  # the accounting file is flushed asynchronously (flush_time=1 s): poll
  for _ in $(seq 1 60); do [ "$(qacct -j "$jid" 2>/dev/null | grep -c '^taskid')" -ge 4 ] && break; sleep 0.5; done
  qacct -j "$jid" | grep -E '^(taskid|exit_status)' | paste - -
  rm -rf "$out"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) is_up && queue_up && echo "sge: up" || { echo "sge: down"; exit 1; } ;;
  selftest) selftest ;;
  *) echo "usage: $0 install|start|status|selftest|stop" >&2; exit 2 ;;
esac
