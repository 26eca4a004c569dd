#!/usr/bin/env bash
# A sweep on a real Slurm cluster of its own (tests/support/slurm_cluster.sh: munged, slurmctld
# and slurmd on this machine, every file in a temporary folder), end to end:
#   - genlab sweep submit --dry-run prints the job array script; submit sends a 6-task array
#     (at most 2 at a time) through the real sbatch and records the job id;
#   - one running task that has written a checkpoint is requeued (scontrol requeue: TERM, the
#     task checkpoints and ends) and started again at once (scontrol update StartTime=now); it
#     must resume from its checkpoint: summary.json's resumed_from_epoch >= 1, each epoch's
#     test_accuracy in metrics.csv exactly once, two starts (restart 0 and 1) in its Slurm log;
#   - all 6 tasks end done (every run fitted or finished), genlab sweep status says so, and a
#     second submit has nothing to submit;
#   - bad input against the real sbatch: an unknown partition (sbatch's error in one line, no
#     job id recorded), no sbatch in PATH, a results folder that cannot be created;
#   - the cluster stops (also on failure, through the trap) and none of its daemons is left.
# Skips (exit 77) with the reason where a cluster cannot be started (not root, no slurm-wlm).
#   Usage: slurm_sweep_test.sh GENLAB_EXECUTABLE
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cluster_sh="$here/support/slurm_cluster.sh"
[ -f "$cluster_sh" ] || { echo "slurm_sweep_test: FAIL: $cluster_sh missing" >&2; exit 1; }
t_start=$(date +%s)

step() { echo "--- [$(($(date +%s) - t_start)) s] $*"; }
fail() { echo "slurm_sweep_test: FAIL: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: $0 GENLAB_EXECUTABLE" >&2; exit 2; }
genlab=$(readlink -f "$1") || fail "cannot resolve '$1'"
[ -x "$genlab" ] || fail "'$1' is not an executable"

if ! why=$(bash "$cluster_sh" available); then
  echo "slurm_sweep_test: skipped: ${why:-no Slurm cluster can be started here}"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/genlab-slurm.XXXXXX")
work=$(cd "$work" && pwd -P)
chmod 0755 "$work"  # munged wants search permission for all on its socket's folders
cluster="$work/cluster"
ok=0
cleanup() {
  local status=$?
  trap - EXIT
  bash "$cluster_sh" stop "$cluster" || echo "slurm_sweep_test: stopping the cluster failed" >&2
  if [ "$ok" = 1 ]; then
    rm -rf "$work"
  else
    echo "slurm_sweep_test: files kept in $work (cluster logs in $cluster)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# alive PID: the process exists and is no zombie
alive() {
  local line st
  read -r line 2>/dev/null < "/proc/$1/stat" || return 1
  st=${line##*) }; st=${st%% *}
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# runs_of SUMMARY: one line per run of a summary.json (as genlab writes it, 2-space indents):
# "RUN STATUS EPOCHS RESUMED" with RESUMED the resumed_from_epoch list (comma-separated) or "-".
runs_of() {
  awk '
    /^  "runs": \[/ { inruns = 1; if ($0 ~ /\]/) inruns = 0; next }
    inruns && /^  \]/ { inruns = 0; next }
    !inruns { next }
    /^    \{/ { run = "?"; status = "?"; epochs = "?"; resumed = ""; next }
    /^    \}/ { print run, status, epochs, (resumed == "" ? "-" : resumed); next }
    /^      "resumed_from_epoch": \[/ { inres = ($0 !~ /\]/); next }
    inres && /^      \]/ { inres = 0; next }
    inres { v = $1; gsub(/,/, "", v); resumed = resumed (resumed == "" ? "" : ",") v; next }
    /^      "run": / { v = $2; gsub(/[,"]/, "", v); run = v }
    /^      "status": / { v = $2; gsub(/[,"]/, "", v); status = v }
    /^      "epochs": / { v = $2; gsub(/[,"]/, "", v); epochs = v }
  ' "$1"
}

# test_accuracy_epochs METRICS RUN: the epochs of RUN's test_accuracy rows, one a line, in file
# order (columns found by the header's names)
test_accuracy_epochs() {
  awk -F, -v want="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["metric"] == "test_accuracy" && $col["run"] == want { print $col["epoch"] }
  ' "$1"
}

step "start a one-node Slurm cluster in $cluster"
cluster_env=$(bash "$cluster_sh" start "$cluster") || fail "slurm_cluster.sh start failed (message above)"
eval "$cluster_env"
[ -n "${SLURM_CONF:-}" ] && [ -n "${SLURM_CLUSTER_PIDS:-}" ] ||
  fail "slurm_cluster.sh start printed no SLURM_CONF/SLURM_CLUSTER_PIDS: $cluster_env"
cat "$cluster/started" 2>/dev/null || true

# 6 tasks (2 widths x 3 settings), 10 epochs of 0.25-0.5 s each on one core.
sweep_file="$work/cluster-sweep.json"
out="$work/out"
epochs=10
cat > "$sweep_file" <<EOF
{"title": "cluster test",
 "spec": {"name": "cluster",
          "data": {"dataset": "synthetic", "synthetic": {"train_size": 5000, "test_size": 200, "shape": [1, 32, 32]}},
          "model": {"architecture": "mlp", "width": 256},
          "training": {"epochs": $epochs, "batch_size": 50, "stop_when_fitted": false},
          "compute": {"threads": 1}},
 "axes": {"model.width": [256, 512], "setting": ["true", "random-labels", "labels:0.5"]}}
EOF
slurm_options=(--max-parallel 2 --cpus-per-task 1)

plan=$("$genlab" sweep plan "$sweep_file") || fail "genlab sweep plan failed: $plan"
mapfile -t folders < <(awk '/^ +[0-9]+  / { print $2 }' <<<"$plan")
[ ${#folders[@]} -eq 6 ] || fail "genlab sweep plan listed ${#folders[@]} tasks, expected 6: $plan"

step "genlab sweep submit --dry-run"
dry=$("$genlab" sweep submit "$sweep_file" --out "$out" "${slurm_options[@]}" --dry-run 2>&1) ||
  fail "submit --dry-run failed: $dry"
grep -qxF '#SBATCH --array=0-5%2' <<<"$dry" || fail "--dry-run has no line '#SBATCH --array=0-5%2': $dry"
grep -qxF '#SBATCH --requeue' <<<"$dry" || fail "--dry-run has no line '#SBATCH --requeue': $dry"
grep -qxF '#SBATCH --cpus-per-task=1' <<<"$dry" || fail "--dry-run has no line '#SBATCH --cpus-per-task=1': $dry"
grep -qF "sweep run '$out/sweep.json' --task \"\$SLURM_ARRAY_TASK_ID\"" <<<"$dry" ||
  fail "--dry-run does not run 'genlab sweep run $out/sweep.json --task \$SLURM_ARRAY_TASK_ID': $dry"
[ ! -e "$out/slurm-jobs.txt" ] || fail "--dry-run wrote $out/slurm-jobs.txt"
[ -z "$(squeue -h -o %i)" ] || fail "--dry-run submitted a job: $(squeue)"

step "genlab sweep submit"
submitted=$("$genlab" sweep submit "$sweep_file" --out "$out" "${slurm_options[@]}" 2>&1) ||
  fail "genlab sweep submit failed (exit $?): $submitted"
echo "$submitted"
job=$(sed -n 's/^Submitted job \([0-9][0-9]*\): 6 of 6 tasks.*/\1/p' <<<"$submitted")
[ -n "$job" ] || fail "submit did not print 'Submitted job N: 6 of 6 tasks': $submitted"
[ "$(cat "$out/slurm-jobs.txt" 2>/dev/null)" = "$job" ] ||
  fail "$out/slurm-jobs.txt holds '$(cat "$out/slurm-jobs.txt" 2>/dev/null)', expected the job id $job alone"

queue() { squeue -h -r -t all -j "$job" -o '%i %K %A %T %r' 2>/dev/null | sort -n -k2 || true; }
task_line() { queue | awk -v t="$1" '$2 == t'; }  # "J_T T JOBID STATE REASON"
show_state() {
  echo "squeue:" >&2; queue >&2
  echo "genlab sweep status:" >&2; "$genlab" sweep status "$sweep_file" --out "$out" >&2 || true
}

step "requeue a running task that has a checkpoint"
requeued=""
deadline=$(($(date +%s) + 120))
while [ -z "$requeued" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { show_state; fail "no running task with a checkpoint within 120 s"; }
  while read -r _ task _ state _; do
    [ "$state" = RUNNING ] || continue
    folder="$out/${folders[task]}"
    compgen -G "$folder/checkpoint-run*.pt" >/dev/null || continue
    [ -f "$folder/summary.json" ] || continue
    # enough epochs left that the requeue lands mid-run
    done_epochs=$(runs_of "$folder/summary.json" | awk '{ print ($3 ~ /^[0-9]+$/ ? $3 : 0) }' | sort -n | tail -n1)
    [ "${done_epochs:-0}" -ge 1 ] && [ "${done_epochs:-0}" -le $((epochs - 4)) ] || continue
    requeued=$task
    echo "task $task (${folders[task]}): $done_epochs epochs done, checkpoint written; scontrol requeue ${job}_$task"
    scontrol requeue "${job}_$task" || fail "scontrol requeue ${job}_$task failed"
    break
  done < <(queue)
  [ -n "$requeued" ] || sleep 0.2
done
requeued_folder="$out/${folders[requeued]}"

# It ends (COMPLETING), then pends with reason BeginTime (cred_expire, 10 s here): start it now.
deadline=$(($(date +%s) + 60))
until task_line "$requeued" | grep -q ' PENDING BeginTime$'; do
  [ "$(date +%s)" -lt "$deadline" ] || { show_state; fail "task ${job}_$requeued not PENDING BeginTime within 60 s of its requeue"; }
  sleep 0.2
done
echo "$(task_line "$requeued"); scontrol update jobid=${job}_$requeued StartTime=now"
scontrol update "jobid=${job}_$requeued" StartTime=now || fail "scontrol update jobid=${job}_$requeued StartTime=now failed"

step "wait for all 6 tasks to be done (180 s at most)"
deadline=$(($(date +%s) + 180))
while :; do
  # genlab sweep status loads LibTorch (a second or two): ask it only once Slurm has no task left
  if ! queue | awk '$4 ~ /^(PENDING|RUNNING|COMPLETING|CONFIGURING|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SUSPENDED)$/ { busy = 1 } END { exit !busy }'; then
    status_out=$("$genlab" sweep status "$sweep_file" --out "$out" 2>&1) || fail "genlab sweep status failed: $status_out"
    grep -qx '6 tasks: 6 done' <<<"$status_out" && break
  fi
  [ "$(date +%s)" -lt "$deadline" ] || { show_state; fail "the 6 tasks were not all done within 180 s"; }
  sleep 1
done
echo "$status_out"
[ "$(grep -c '^ *[0-9][0-9]*  .*  done  ' <<<"$status_out")" -eq 6 ] ||
  fail "genlab sweep status does not list 6 tasks as done: $status_out"

step "check the 6 task folders"
for ((task = 0; task < 6; task++)); do
  folder="$out/${folders[task]}"
  [ -d "$folder" ] || fail "task $task: no folder $folder"
  [ -f "$folder/summary.json" ] || fail "task $task: no $folder/summary.json"
  [ -f "$folder/metrics.csv" ] || fail "task $task: no $folder/metrics.csv"
  runs=$(runs_of "$folder/summary.json")
  [ -n "$runs" ] || fail "task $task: no runs found in $folder/summary.json"
  resumed_ok=0
  while read -r run status run_epochs resumed; do
    case "$status" in fitted|finished) ;;
      *) fail "task $task run $run: status '$status' in $folder/summary.json, expected fitted or finished" ;;
    esac
    [[ "$run_epochs" =~ ^[0-9]+$ ]] && [ "$run_epochs" -ge 1 ] ||
      fail "task $task run $run: epochs '$run_epochs' in $folder/summary.json"
    [ "$status" = fitted ] || [ "$run_epochs" -eq "$epochs" ] ||
      fail "task $task run $run: finished after $run_epochs epochs, expected $epochs"
    # each epoch's test_accuracy row exactly once: none lost, none repeated by the resume
    got=$(test_accuracy_epochs "$folder/metrics.csv" "$run" | tr '\n' ' ')
    want=$(seq 1 "$run_epochs" | tr '\n' ' ')
    if [ "$(tr ' ' '\n' <<<"$got" | sed '/^$/d' | sort -n | tr '\n' ' ')" != "$want" ]; then
      dups=$(tr ' ' '\n' <<<"$got" | sed '/^$/d' | sort -n | uniq -d | tr '\n' ' ')
      fail "task $task run $run: test_accuracy rows in $folder/metrics.csv for epochs '$got', expected each of 1..$run_epochs once${dups:+ (repeated: $dups)}"
    fi
    if [ "$task" = "$requeued" ] && [ "$resumed" != - ]; then
      IFS=, read -r -a from <<<"$resumed"
      for e in "${from[@]}"; do [[ "$e" =~ ^[0-9]+$ ]] && [ "$e" -ge 1 ] && resumed_ok=1; done
    fi
  done <<<"$runs"
  if [ "$task" = "$requeued" ]; then
    [ "$resumed_ok" = 1 ] ||
      fail "task $task was requeued mid-run but $folder/summary.json records no resume from an epoch >= 1 (runs: $(tr '\n' ';' <<<"$runs"))"
    log="$out/logs/slurm-${job}_$task.out"
    [ -f "$log" ] || fail "task $task: no Slurm log $log"
    grep -q "^genlab task $task on .*restart 0)" "$log" || fail "task $task: $log shows no first start (restart 0): $(grep '^genlab task' "$log" | tr '\n' ';')"
    grep -q "^genlab task $task on .*restart 1)" "$log" || fail "task $task: $log shows no second start (restart 1): $(grep '^genlab task' "$log" | tr '\n' ';')"
    echo "task $task: resumed (runs: $(tr '\n' ';' <<<"$runs")); $(grep -c '^genlab task' "$log") starts in its log"
  fi
done

step "submit again: nothing to submit"
again=$("$genlab" sweep submit "$sweep_file" --out "$out" "${slurm_options[@]}" 2>&1) ||
  fail "a second submit failed (exit $?): $again"
grep -q '^Nothing to submit' <<<"$again" || fail "a second submit did not say 'Nothing to submit': $again"
[ "$(wc -l < "$out/slurm-jobs.txt")" -eq 1 ] || fail "a second submit changed $out/slurm-jobs.txt: $(cat "$out/slurm-jobs.txt")"

# expect_one_line_error NAME OUTPUT EXIT PATTERN: a non-zero exit and one line matching PATTERN
expect_one_line_error() {
  [ "$3" -ne 0 ] || fail "$1: genlab exited 0, expected an error; it printed: $2"
  [ "$(grep -c . <<<"$2")" -eq 1 ] || fail "$1: expected one line, got: $2"
  grep -qiE "$4" <<<"$2" || fail "$1: expected a line matching '$4', got: $2"
  echo "$1: $2"
}

step "bad input"
bad_out="$work/bad-partition"
msg=$("$genlab" sweep submit "$sweep_file" --out "$bad_out" --partition nosuch 2>&1) && rc=0 || rc=$?
expect_one_line_error "--partition nosuch" "$msg" "$rc" 'sbatch failed.*invalid partition'
[ ! -s "$bad_out/slurm-jobs.txt" ] || fail "--partition nosuch: a job id was recorded in $bad_out/slurm-jobs.txt: $(cat "$bad_out/slurm-jobs.txt")"

msg=$(env PATH=/nonexistent "$genlab" sweep submit "$sweep_file" --out "$work/no-sbatch" 2>&1) && rc=0 || rc=$?
expect_one_line_error "PATH without sbatch" "$msg" "$rc" 'sbatch not found'
[ ! -e "$work/no-sbatch/slurm-jobs.txt" ] || fail "PATH without sbatch: $work/no-sbatch/slurm-jobs.txt was written"

touch "$work/a-file"
msg=$("$genlab" sweep submit "$sweep_file" --out "$work/a-file/out" 2>&1) && rc=0 || rc=$?
expect_one_line_error "SHARED_DIR under a file" "$msg" "$rc" "$work/a-file/out"

[ "$(squeue -h -o %i | wc -l)" -eq 0 ] || fail "jobs left in the queue after the bad submits: $(squeue)"

step "stop the cluster"
bash "$cluster_sh" stop "$cluster" || fail "slurm_cluster.sh stop failed"
left=""
for pid in $SLURM_CLUSTER_PIDS; do
  for ((i = 0; i < 50; i++)); do alive "$pid" || break; sleep 0.1; done
  alive "$pid" && left="$left $pid($(cat "/proc/$pid/comm" 2>/dev/null))"
done
[ -z "$left" ] || fail "cluster daemons still running after stop:$left"

ok=1
step "passed"
