#include "app/sweep_commands.h"

#include "app/child_process.h"
#include "app/data_commands.h"
#include "app/exit_codes.h"
#include "app/options.h"
#include "app/sweep_runner.h"
#include "app/training.h"
#include "core/errors.h"
#include "core/format.h"
#include "core/results/atomic_file.h"
#include "core/results/presets.h"
#include "core/results/session_folder.h"
#include "core/sweep/slurm_script.h"
#include "core/sweep/task_status.h"

#include <boost/program_options.hpp>
#include <unistd.h>

#include <fstream>
#include <iomanip>
#include <map>
#include <iostream>
#include <sstream>

namespace genlab::app {

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

/// The Slurm jobs submitted for a results folder, one id a line, for `status`.
constexpr const char* kSlurmJobsFile = "slurm-jobs.txt";
/// The last script `submit` wrote.
constexpr const char* kSbatchFile = "sweep.sbatch";

std::string usage() {
  return "Usage:\n"
         "  genlab sweep plan FILE [--out DIR] [--set PATH=VALUE ...]\n"
         "      list the tasks (index, axis values, folder; with --out: their state)\n"
         "  genlab sweep run FILE --out DIR [--jobs N | --task K] [--set PATH=VALUE ...]\n"
         "      run the missing tasks here, N at a time (default: one per GPU when there are\n"
         "      several, else " + std::to_string(kDefaultCpuJobs) + "), or exactly task K; finished tasks are skipped,\n"
         "      unfinished ones resume from their checkpoint\n"
         "  genlab sweep submit FILE --out SHARED_DIR [Slurm options] [--dry-run]\n"
         "      one Slurm job array task per missing task (sbatch); --dry-run prints the script\n"
         "  genlab sweep status FILE --out DIR\n"
         "      each task's state: pending, queued, running, done, unfinished, failed\n"
         "FILE: a preset's id (genlab --list-presets) or a preset file with \"axes\": {\"model.width\": [512, 2048], \"setting\": [\"true\",\n"
         "\"random-labels\"]} (keys: experiment fields, see genlab --help-fields, or \"setting\";\n"
         "\"a,b\": [[a1, b1], [a2, b2]] varies fields together). Tasks are the product of the\n"
         "axes, the last varying fastest.\n";
}

po::options_description describe(const std::string& verb) {
  po::options_description options("Options");
  options.add_options()
      ("help,h", "show this help")
      ("file", po::value<std::string>(), "the sweep file")
      ("out", po::value<std::string>(), "the results folder of the sweep (shared with the "
       "cluster's nodes for submit)")
      ("set", po::value<std::vector<std::string>>()->composing(), "PATH=VALUE: override a field "
       "of the base experiment; repeatable");
  if (verb == "run") {
    options.add_options()
        ("task", po::value<int64_t>(), "run exactly this task (0-based), as a cluster task does")
        ("jobs", po::value<int>(), "tasks at a time on this machine");
  }
  if (verb == "submit") {
    options.add_options()
        ("partition", po::value<std::string>(), "Slurm partition")
        ("gpus-per-task", po::value<int>(), "GPUs per task")
        ("time", po::value<std::string>(), "time limit per task, e.g. 04:00:00")
        ("cpus-per-task", po::value<int>(), "CPU cores per task (its thread count)")
        ("mem", po::value<std::string>(), "memory per task, e.g. 8G")
        ("account", po::value<std::string>(), "Slurm account")
        ("qos", po::value<std::string>(), "Slurm quality of service")
        ("max-parallel", po::value<int>(), "at most this many tasks at once (the array's %K)")
        ("sbatch-arg", po::value<std::vector<std::string>>()->composing(), "one more sbatch "
         "option, e.g. --constraint=a100; repeatable")
        ("genlab", po::value<std::string>(), "the genlab program the nodes run (default: this one)")
        ("dry-run", "print the sbatch script and submit nothing");
  }
  return options;
}

struct Command {
  std::string verb;
  po::variables_map values;
  sweep::Sweep sweep;
  fs::path file;
  fs::path out;
  std::vector<std::string> overrides;
};

Command parse(int argc, const char* const* argv) {
  Command command;
  if (argc < 3) throw UsageError("sweep: name a command: plan, run, submit or status");
  command.verb = argv[2];
  if (command.verb == "--help" || command.verb == "-h") return command;
  if (command.verb != "plan" && command.verb != "run" && command.verb != "submit" && command.verb != "status")
    throw UsageError("sweep: '" + command.verb + "' is not one of plan, run, submit, status");
  const po::options_description options = describe(command.verb);
  po::positional_options_description positional;
  positional.add("file", 1);
  command.values = parseCommandWords(argc, argv, 2, options, positional, "sweep " + command.verb + ": ");
  const auto& v = command.values;
  if (v.count("help")) return command;
  if (!v.count("file")) throw UsageError("sweep " + command.verb + ": name the sweep FILE");
  command.file = v["file"].as<std::string>();
  // A preset's id names its file: genlab sweep plan table1-regularizers.
  std::error_code ec;
  if (!fs::exists(command.file, ec) && command.file.string().find('/') == std::string::npos &&
      command.file.extension() != ".json")
    command.file = results::findPreset(command.file.string()).file;
  if (v.count("out")) command.out = v["out"].as<std::string>();
  else if (command.verb != "plan") throw UsageError("sweep " + command.verb + " needs --out DIR");
  if (v.count("set")) command.overrides = v["set"].as<std::vector<std::string>>();
  if (v.count("task") && v.count("jobs")) throw UsageError("sweep run: --task and --jobs exclude each other");
  if (v.count("jobs") && v["jobs"].as<int>() < 1) throw UsageError("sweep run: --jobs must be at least 1");
  try {
    command.sweep = sweep::loadSweep(command.file, command.overrides);
  } catch (const InputError& error) {
    // A bad --set is the command line's fault; a bad file is the work's.
    const std::string message = error.what();
    if (message.rfind("--set", 0) == 0) throw UsageError(message);
    throw;
  }
  return command;
}

/// Slurm's state of each array task of the jobs submitted for `out`, newest job last.
std::map<int64_t, std::string> slurmStates(const fs::path& out) {
  std::map<int64_t, std::string> states;
  std::ifstream jobs(out / kSlurmJobsFile);
  if (!jobs || !findProgram("squeue")) return states;
  for (std::string job; std::getline(jobs, job);) {
    if (job.empty()) continue;
    try {
      const ProgramOutput queue = runProgram({"squeue", "-h", "-r", "-j", job, "-o", "%K %T"});
      if (queue.exitCode != 0) continue;  // a job Slurm has forgotten
      for (const auto& [task, state] : sweep::parseSqueue(queue.out)) states[task] = state;
    } catch (const InputError&) {
    }
  }
  return states;
}

struct Row {
  sweep::Task task;
  sweep::TaskStatus status;
};

std::vector<Row> taskRows(const Command& c, bool withQueue) {
  std::vector<Row> rows;
  const auto queue = withQueue ? slurmStates(c.out) : std::map<int64_t, std::string>{};
  for (auto& task : sweep::tasks(c.sweep)) {
    Row row{task, {}};
    if (!c.out.empty()) row.status = sweep::readTaskStatus(c.out / task.folder, train::epochsPerRun(task.spec));
    if (const auto it = queue.find(task.index); it != queue.end()) {
      using sweep::TaskState;
      if (row.status.state != TaskState::Running && row.status.state != TaskState::Done) {
        if (it->second == "PENDING" || it->second == "REQUEUED" || it->second == "CONFIGURING") {
          row.status.state = TaskState::Queued;
        } else if (it->second == "RUNNING" || it->second == "COMPLETING") {
          row.status.state = TaskState::Running;
          if (row.status.detail.empty()) row.status.detail = "starting";
        }
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void printRows(const std::vector<Row>& rows, bool withState) {
  size_t folderWidth = 6;
  for (const auto& row : rows) folderWidth = std::max(folderWidth, row.task.folder.size());
  std::map<std::string, int> counts;
  for (const auto& row : rows) {
    std::ostringstream line;
    line << std::setw(5) << row.task.index << "  " << std::left << std::setw(static_cast<int>(folderWidth))
         << row.task.folder << std::right;
    if (withState) {
      const std::string state(sweep::stateName(row.status.state));
      ++counts[state];
      line << "  " << std::left << std::setw(10) << state << std::right;
      if (!row.status.detail.empty()) line << "  " << row.status.detail;
    } else {
      line << "  " << sweep::axisValues(row.task);
    }
    std::cout << line.str() << '\n';
  }
  std::cout << rows.size() << (rows.size() == 1 ? " task" : " tasks");
  if (withState) {
    std::string parts;
    for (const char* state : {"done", "running", "queued", "unfinished", "failed", "pending"})
      if (counts[state] > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(counts[state]) + " " + state;
    if (!parts.empty()) std::cout << ": " << parts;
  }
  std::cout << '\n';
}

int plan(const Command& c) {
  if (!c.sweep.title.empty()) std::cout << c.sweep.title << "\n";
  std::cout << "axes:";
  if (c.sweep.axes.empty()) std::cout << " none (one task: the base experiment)";
  for (const auto& axis : c.sweep.axes) std::cout << "  " << axis.key() << " (" << axis.values.size() << ")";
  std::cout << "\n\n";
  const auto rows = taskRows(c, false);
  printRows(rows, !c.out.empty());
  return kExitSuccess;
}

int status(const Command& c) {
  std::error_code ec;
  if (!fs::is_directory(c.out, ec))
    throw InputError("results folder '" + c.out.string() + "' does not exist: nothing of this sweep ran yet");
  printRows(taskRows(c, true), true);
  return kExitSuccess;
}

int submit(const Command& c) {
  const auto& v = c.values;
  sweep::SlurmOptions slurm;
  const auto text = [&](const char* name, std::string& target) {
    if (v.count(name)) target = v[name].as<std::string>();
  };
  const auto number = [&](const char* name, int& target) {
    if (v.count(name)) target = v[name].as<int>();
  };
  text("partition", slurm.partition);
  text("time", slurm.time);
  text("mem", slurm.mem);
  text("account", slurm.account);
  text("qos", slurm.qos);
  number("gpus-per-task", slurm.gpusPerTask);
  number("cpus-per-task", slurm.cpusPerTask);
  number("max-parallel", slurm.maxParallel);
  if (v.count("sbatch-arg")) slurm.extraArgs = v["sbatch-arg"].as<std::vector<std::string>>();
  try {
    sweep::checkSlurmOptions(slurm);
  } catch (const InputError& error) {
    throw UsageError(std::string("sweep submit: ") + error.what());
  }
  const bool dryRun = v.count("dry-run") > 0;

  sweep::SlurmJob job;
  job.name = results::folderSafeName("genlab-" + c.sweep.base.name);
  job.genlab = v.count("genlab") ? fs::path(v["genlab"].as<std::string>()) : selfExecutable();
  job.out = fs::absolute(c.out).lexically_normal();
  job.sweepFile = job.out / sweep::kSweepFile;
  for (const auto& row : taskRows(c, !dryRun))
    if (row.status.state != sweep::TaskState::Done && row.status.state != sweep::TaskState::Running &&
        row.status.state != sweep::TaskState::Queued)
      job.tasks.push_back(row.task.index);
  const int64_t total = sweep::taskCount(c.sweep);
  if (job.tasks.empty()) {
    std::cout << "Nothing to submit: all " << total << " tasks are done, running or queued (genlab sweep status "
              << c.file.string() << " --out " << c.out.string() << ").\n";
    return kExitSuccess;
  }
  const std::string script = sbatchScript(job, slurm);
  if (dryRun) {
    std::cout << script;
    return kExitSuccess;
  }
  if (!findProgram("sbatch"))
    throw InputError("sbatch not found in PATH: submit from a Slurm login node, or run the sweep here "
                     "with genlab sweep run");
  fetchMissingDataSets(sweep::dataSpecs(c.sweep));
  std::error_code ec;
  const bool newFolder = !fs::exists(job.out, ec);
  const bool newSweep = !fs::exists(job.sweepFile, ec);
  sweep::prepareResultsFolder(c.sweep, job.out);
  const fs::path scriptFile = job.out / kSbatchFile;
  results::writeFileAtomically(scriptFile, script);
  const ProgramOutput result = runProgram({"sbatch", "--parsable", scriptFile.string()});
  if (result.exitCode != 0) {
    // Nothing was submitted: leave the folder as it was found.
    fs::remove(scriptFile, ec);
    if (newSweep) {
      fs::remove(job.sweepFile, ec);
      fs::remove(job.out / sweep::kLogFolder, ec);  // only when empty
    }
    if (newFolder) fs::remove(job.out, ec);

    std::string reason = result.err.empty() ? result.out : result.err;
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    for (auto& c2 : reason)
      if (c2 == '\n') c2 = ' ';
    throw InputError("sbatch failed (exit " + std::to_string(result.exitCode) + "), nothing submitted: " + reason);
  }
  const std::string jobId = result.out.substr(0, result.out.find_first_of(";\n"));
  {
    std::ofstream jobs(job.out / kSlurmJobsFile, std::ios::app);
    jobs << jobId << '\n';
  }
  std::cout << "Submitted job " << jobId << ": " << job.tasks.size() << " of " << total << " tasks";
  if (slurm.maxParallel > 0) std::cout << ", at most " << slurm.maxParallel << " at a time";
  std::cout << ".\nResults: " << job.out.string() << " (one folder per task; logs in "
            << (job.out / sweep::kLogFolder).string() << ")\n"
            << "Follow: genlab sweep status " << c.file.string() << " --out " << c.out.string()
            << ", or genlab --open " << c.out.string() << "\n";
  return kExitSuccess;
}

} // namespace

bool isSweepCommand(int argc, const char* const* argv) { return argc >= 2 && std::string(argv[1]) == "sweep"; }

int runSweepCommand(int argc, const char* const* argv) {
  const Command c = parse(argc, argv);
  if (c.verb == "--help" || c.verb == "-h") {
    std::cout << usage();
    return kExitSuccess;
  }
  if (c.values.count("help")) {
    std::cout << usage() << '\n' << describe(c.verb);
    return kExitSuccess;
  }
  if (c.verb == "plan") return plan(c);
  if (c.verb == "status") return status(c);
  if (c.verb == "submit") return submit(c);
  SweepRun run{c.sweep, c.out, std::nullopt, std::nullopt};
  if (c.values.count("task")) run.task = c.values["task"].as<int64_t>();
  if (c.values.count("jobs")) run.jobs = c.values["jobs"].as<int>();
  return runSweep(argc, argv, run);
}

} // namespace genlab::app
