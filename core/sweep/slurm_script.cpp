#include "core/sweep/slurm_script.h"

#include "core/errors.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace genlab::sweep {

std::string arrayList(std::vector<int64_t> tasks) {
  std::sort(tasks.begin(), tasks.end());
  tasks.erase(std::unique(tasks.begin(), tasks.end()), tasks.end());
  std::string out;
  for (size_t i = 0; i < tasks.size();) {
    size_t j = i;
    while (j + 1 < tasks.size() && tasks[j + 1] == tasks[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(tasks[i]);
    if (j > i) out.append(1, '-').append(std::to_string(tasks[j]));
    i = j + 1;
  }
  return out;
}

void checkSlurmOptions(const SlurmOptions& options) {
  static const std::regex time(R"((\d+-)?\d+(:\d{1,2}){0,2})");
  static const std::regex memory(R"(\d+[KMGT]?)");
  if (!options.time.empty() && !std::regex_match(options.time, time))
    throw InputError("--time '" + options.time + "' is not a Slurm time such as 04:00:00, 1-00:00:00 or 90");
  if (!options.mem.empty() && !std::regex_match(options.mem, memory))
    throw InputError("--mem '" + options.mem + "' is not a Slurm memory size such as 8G or 16000M");
  if (options.gpusPerTask < 0) throw InputError("--gpus-per-task must not be negative");
  if (options.cpusPerTask < 0) throw InputError("--cpus-per-task must not be negative");
  if (options.maxParallel < 0) throw InputError("--max-parallel must not be negative");
  for (const auto& arg : options.extraArgs)
    if (arg.rfind("--", 0) != 0 || arg.find('\n') != std::string::npos)
      throw InputError("--sbatch-arg '" + arg + "' must be one sbatch option such as --constraint=a100");
}

std::string shellQuoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string sbatchScript(const SlurmJob& job, const SlurmOptions& o) {
  std::ostringstream s;
  const std::string logs = (job.out / "logs").string();
  s << "#!/bin/bash\n"
    << "# Written by genlab sweep submit: one array task per sweep task. Run it again with\n"
    << "# genlab sweep submit (or sbatch this file): finished tasks are skipped, others resume.\n"
    << "#SBATCH --job-name=" << job.name << '\n'
    << "#SBATCH --array=" << arrayList(job.tasks);
  if (o.maxParallel > 0) s << '%' << o.maxParallel;
  s << '\n'
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --output=" << logs << "/slurm-%A_%a.out\n"
    << "#SBATCH --open-mode=append\n"
    << "#SBATCH --requeue\n"
    << "#SBATCH --signal=B:USR1@" << kWarningSeconds << '\n';
  if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << '\n';
  if (o.gpusPerTask > 0) s << "#SBATCH --gpus-per-task=" << o.gpusPerTask << '\n';
  if (o.cpusPerTask > 0) s << "#SBATCH --cpus-per-task=" << o.cpusPerTask << '\n';
  if (!o.time.empty()) s << "#SBATCH --time=" << o.time << '\n';
  if (!o.mem.empty()) s << "#SBATCH --mem=" << o.mem << '\n';
  if (!o.account.empty()) s << "#SBATCH --account=" << o.account << '\n';
  if (!o.qos.empty()) s << "#SBATCH --qos=" << o.qos << '\n';
  for (const auto& arg : o.extraArgs) s << "#SBATCH " << arg << '\n';
  s << "\n"
    << "# genlab checkpoints and ends on TERM (pre-emption, scancel, requeue) and on USR1 (sent\n"
    << "# " << kWarningSeconds << " s before the time limit, after which this task requeues itself).\n"
    << "requeue=0\n"
    << "on_usr1() { requeue=1; kill -USR1 \"$child\" 2>/dev/null; }\n"
    << "on_term() { kill -TERM \"$child\" 2>/dev/null; }\n"
    << "trap on_usr1 USR1\n"
    << "trap on_term TERM\n"
    << "echo \"genlab task $SLURM_ARRAY_TASK_ID on $(hostname) (job $SLURM_JOB_ID, restart ${SLURM_RESTART_COUNT:-0}) at $(date -Is)\"\n"
    << shellQuoted(job.genlab.string()) << " sweep run " << shellQuoted(job.sweepFile.string())
    << " --task \"$SLURM_ARRAY_TASK_ID\" --out " << shellQuoted(job.out.string())
    << " --set \"compute.threads=${SLURM_CPUS_PER_TASK:-1}\" &\n"
    << "child=$!\n"
    << "# wait returns early when a trapped signal arrives: wait again until genlab has ended.\n"
    << "while :; do\n"
    << "  wait \"$child\"\n"
    << "  status=$?\n"
    << "  kill -0 \"$child\" 2>/dev/null || break\n"
    << "done\n"
    << "if [ \"$requeue\" = 1 ]; then\n"
    << "  echo \"time limit near: requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
    << "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
    << "fi\n"
    << "exit \"$status\"\n";
  return s.str();
}

} // namespace genlab::sweep
