#!/usr/bin/env bash
# A one-node Slurm cluster of its own (munged, slurmctld, slurmd) for the tests, as root.
#
#   slurm_cluster.sh available   exits 0 when a cluster can be started here, else prints why
#                                not (one line, on stdout) and exits 1
#   slurm_cluster.sh start DIR   creates DIR and starts munged, slurmctld and slurmd with every
#                                file (key, socket, slurm.conf, state, spool, logs) inside it,
#                                on two free ports (DIR becomes mode 0755: munged wants that
#                                of its socket's folder); waits until the node is idle (up to
#                                SLURM_CLUSTER_TIMEOUT s, default 30); prints
#                                  export SLURM_CONF=DIR/slurm.conf
#                                  export SLURM_CLUSTER_PIDS='PID PID PID'
#                                (eval-able) and records "PID NAME" lines in DIR/pids. On
#                                failure: one message on stderr, stops what it started, exit 1.
#   slurm_cluster.sh stop DIR    cancels this cluster's own jobs (through DIR/slurm.conf; their
#                                processes get TERM, and KILL 1 s later through scontrol
#                                listpids), waits for their slurmstepd to go (5 s at most), then
#                                stops exactly the pids in DIR/pids, one after the other
#                                (TERM, up to 5 s, then KILL). Idempotent: without DIR/pids
#                                it does nothing and exits 0.
#
# Every Slurm client command needs SLURM_CONF=DIR/slurm.conf; the Slurm commands find the munge
# socket through AuthInfo in it (plain munge/unmunge need -S DIR/munge.socket).
# Settings worth knowing (measured on Slurm 22.05, Debian 12):
#   KillWait=5: SIGKILL follows SIGTERM after 5 s on scancel/requeue (TERM goes to every
#   process of the job, proctrack/linuxproc);
#   AuthInfo cred_expire (SLURM_CLUSTER_CRED_EXPIRE, default 10 here, Slurm's default 120): a
#   requeued job pends with reason BeginTime for that long after it ended; `scontrol update
#   jobid=J_T StartTime=now` lets it start at once;
#   MinJobAge=10: finished jobs leave squeue about 10-30 s after they end; every ending (and
#   every requeue, as JobState=PENDING) is a line in DIR/jobcomp.txt, with ArrayJobId= and
#   ArrayTaskId= for array tasks. sacct does not work (no slurmdbd).
set -uo pipefail

die() { echo "slurm_cluster: $*" >&2; exit 1; }

need_cmds=(munged mungekey munge unmunge slurmctld slurmd slurmstepd sbatch squeue sinfo scontrol scancel ss)

available() {
  local c
  [ "$(id -u)" -eq 0 ] || { echo "slurm_cluster: needs root (munged and slurmd run as root here)"; return 1; }
  for c in "${need_cmds[@]}"; do
    command -v "$c" >/dev/null 2>&1 || { echo "slurm_cluster: $c not found (apt-get install slurm-wlm munge)"; return 1; }
  done
  return 0
}

# alive PID: the process exists and is no zombie
alive() {
  local line st
  read -r line 2>/dev/null < "/proc/$1/stat" || return 1
  st=${line##*) }; st=${st%% *}
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# the pid is still the process we started (guards against a reused pid)
is_ours() {
  local comm
  alive "$1" || return 1
  read -r comm 2>/dev/null < "/proc/$1/comm" || return 1
  case "$comm" in "$2"*) return 0 ;; *) return 1 ;; esac
}

port_free() {
  [ -z "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]
}

pick_ports() {
  local tries=0 p1 p2
  while [ $tries -lt 200 ]; do
    tries=$((tries + 1))
    p1=$((20000 + RANDOM % 30000)); p2=$((p1 + 1))
    if port_free "$p1" && port_free "$p2"; then echo "$p1 $p2"; return 0; fi
  done
  return 1
}

last_lines() { # FILE...: the last lines of the first file that has any, on one line
  local f
  for f in "$@"; do
    if [ -s "$f" ]; then tail -n 4 "$f" | tr '\n' ' ' | sed 's/  */ /g'; return; fi
  done
  echo "(no log)"
}

stop_pids() { # DIR: newest first (slurmd, slurmctld, munged), each gone before the next
  local dir=$1 pid name pids=() names=() i waited
  [ -f "$dir/pids" ] || return 0
  while read -r pid name; do
    [ -n "$pid" ] || continue
    pids+=("$pid"); names+=("$name")
  done < "$dir/pids"
  # slurmd talks to slurmctld and both to munged while they shut down, so one at a time
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    is_ours "${pids[i]}" "${names[i]}" || continue
    kill -TERM "${pids[i]}" 2>/dev/null
    for ((waited = 0; waited < 50; waited++)); do
      is_ours "${pids[i]}" "${names[i]}" || break
      sleep 0.1
    done
    is_ours "${pids[i]}" "${names[i]}" && kill -KILL "${pids[i]}" 2>/dev/null
  done
  rm -f "$dir/pids"
  return 0
}

cancel_own_jobs() { # DIR: cancel this cluster's jobs; KILL what is left of them after 1 s
  local dir=$1 jobs node i pids
  [ -f "$dir/slurm.conf" ] || return 0
  export SLURM_CONF="$dir/slurm.conf"
  node=$(hostname -s)
  jobs=$(timeout 5 squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  [ -n "${jobs// /}" ] && timeout 5 scancel $jobs 2>/dev/null
  # a slurmstepd listens on DIR/spool/NODE_JOBID.STEPID while its job step lives
  for ((i = 0; i < 50; i++)); do
    compgen -G "$dir/spool/${node}_[0-9]*" >/dev/null || return 0
    # after 1 s (KillWait is 5 s) KILL the steps' processes, found through their slurmstepd
    if [ $i -eq 10 ]; then
      pids=$(timeout 5 scontrol listpids 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }')
      [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    fi
    sleep 0.1
  done
  return 0
}

start() {
  local dir=$1 why t0 ports ctld_port d_port node_line node mem pid i state
  why=$(available) || die "${why#slurm_cluster: }"
  case "$dir" in *[[:space:]]*|*,*|*=*) die "DIR must not hold spaces, commas or '=': $dir" ;; esac
  mkdir -p "$dir" || die "cannot create $dir"
  dir=$(cd "$dir" && pwd -P) || die "cannot enter $dir"
  if [ -f "$dir/pids" ]; then
    while read -r pid name; do
      is_ours "$pid" "$name" && die "a cluster already runs in $dir ($name pid $pid); stop it first"
    done < "$dir/pids"
    rm -f "$dir/pids"
  fi
  t0=$(date +%s.%N)
  # munged wants search permission for all on its socket's folder
  chmod 0755 "$dir" || die "cannot chmod $dir"
  mkdir -p "$dir/state" "$dir/spool" || die "cannot create $dir/state, $dir/spool"
  rm -f "$dir/munge.key"
  mungekey -c -b 1024 -k "$dir/munge.key" 2>"$dir/mungekey.err" \
    || die "mungekey failed: $(last_lines "$dir/mungekey.err")"
  chown root:root "$dir/munge.key" && chmod 0400 "$dir/munge.key" || die "cannot protect $dir/munge.key"

  ports=$(pick_ports) || die "no two free TCP ports found"
  ctld_port=${ports% *}; d_port=${ports#* }
  node=$(hostname -s)
  node_line=$(slurmd -C 2>/dev/null | grep '^NodeName=') || die "slurmd -C printed no NodeName line"
  # a little less memory than slurmd measures, so the node never drains for "Low RealMemory"
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
  [ -n "$mem" ] && node_line=$(sed "s/RealMemory=[0-9]*/RealMemory=$((mem * 9 / 10))/" <<<"$node_line")

  cat > "$dir/slurm.conf" <<EOF
# Written by tests/support/slurm_cluster.sh: a one-node test cluster, everything under $dir
ClusterName=genlabtest
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge.socket,cred_expire=${SLURM_CLUSTER_CRED_EXPIRE:-10}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
MailProg=/bin/true
KillWait=5
MinJobAge=10
SlurmdTimeout=60
InactiveLimit=0
$node_line
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

  local started=()
  fail() { # MESSAGE: stop what was started, report, exit
    stop_pids "$dir"
    die "$1"
  }
  record() { echo "$1 $2" >> "$dir/pids"; started+=("$1"); }

  # munged in the foreground (it logs to stderr then), its own process group and session
  setsid munged -F --socket="$dir/munge.socket" --key-file="$dir/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed" \
    </dev/null >>"$dir/munged.log" 2>&1 &
  record $! munged
  for ((i = 0; i < 50; i++)); do
    munge -n -S "$dir/munge.socket" 2>/dev/null | unmunge -S "$dir/munge.socket" >/dev/null 2>&1 && break
    alive "${started[0]}" || break
    sleep 0.1
  done
  [ $i -lt 50 ] && alive "${started[0]}" || fail "munged did not start: $(last_lines "$dir/munged.log")"

  export SLURM_CONF="$dir/slurm.conf"
  setsid slurmctld -D -f "$dir/slurm.conf" </dev/null >>"$dir/slurmctld.stdout" 2>&1 &
  record $! slurmctld
  for ((i = 0; i < 100; i++)); do
    alive "${started[1]}" || break
    timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP' && break
    sleep 0.1
  done
  [ $i -lt 100 ] && alive "${started[1]}" \
    || fail "slurmctld did not start: $(last_lines "$dir/slurmctld.log" "$dir/slurmctld.stdout")"

  setsid slurmd -D -f "$dir/slurm.conf" </dev/null >>"$dir/slurmd.stdout" 2>&1 &
  record $! slurmd
  local limit=$(( ${SLURM_CLUSTER_TIMEOUT:-30} * 10 ))
  state=""
  for ((i = 0; i < limit; i++)); do
    alive "${started[2]}" || fail "slurmd did not start: $(last_lines "$dir/slurmd.log" "$dir/slurmd.stdout")"
    alive "${started[1]}" || fail "slurmctld died: $(last_lines "$dir/slurmctld.log" "$dir/slurmctld.stdout")"
    state=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null | head -n1)
    [ "$state" = idle ] && break
    sleep 0.1
  done
  [ "$state" = idle ] || fail "node $node not idle after ${SLURM_CLUSTER_TIMEOUT:-30} s (state '${state:-none}'): $(last_lines "$dir/slurmd.log" "$dir/slurmctld.log")"

  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "started in %.2f s\n", b - a }' > "$dir/started"
  echo "export SLURM_CONF=$dir/slurm.conf"
  echo "export SLURM_CLUSTER_PIDS='${started[*]}'"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd -P) || return 0
  [ -f "$dir/pids" ] || return 0
  local pid name
  while read -r pid name; do
    [ "$name" = slurmctld ] && is_ours "$pid" slurmctld && cancel_own_jobs "$dir"
  done < "$dir/pids"
  stop_pids "$dir"
}

case "${1:-}" in
  available) available ;;
  start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 available | start DIR | stop DIR" ;;
esac
