#include "app/child_process.h"

#include "core/errors.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace genlab::app {

namespace fs = std::filesystem;

namespace {

std::vector<char*> pointers(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& arg : argv) out.push_back(const_cast<char*>(arg.c_str()));
  out.push_back(nullptr);
  return out;
}

int exitStatusOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

} // namespace

std::optional<fs::path> findProgram(const std::string& name) {
  std::error_code ec;
  if (name.find('/') != std::string::npos) {
    if (fs::is_regular_file(name, ec)) return fs::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string folders = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= folders.size()) {
    const size_t end = std::min(folders.find(':', start), folders.size());
    const fs::path candidate = fs::path(folders.substr(start, end - start)) / name;
    if (end > start && fs::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

fs::path selfExecutable() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path("genlab") : self;
}

ProgramOutput runProgram(const std::vector<std::string>& argv) {
  std::array<int, 2> out{}, err{};
  if (pipe(out.data()) != 0 || pipe(err.data()) != 0)
    throw InputError("cannot run " + argv.front() + ": " + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) throw InputError("cannot run " + argv.front() + ": " + std::strerror(errno));
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(err[0]);
    close(out[1]);
    close(err[1]);
    auto args = pointers(argv);
    execvp(args[0], args.data());
    const std::string message = "cannot start " + argv.front() + ": " + std::strerror(errno) + "\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  ProgramOutput result;
  std::array<pollfd, 2> fds{pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
  int open = 2;
  char buffer[4096];
  while (open > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exitCode = exitStatusOf(status);
  if (result.exitCode == 127 && result.err.rfind("cannot start ", 0) == 0)
    throw InputError(result.err.substr(0, result.err.find('\n')));
  return result;
}

pid_t startProgram(const std::vector<std::string>& argv, const fs::path& log,
                   const std::vector<std::string>& environment) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError("cannot write the log '" + log.string() + "': " + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(fd);
    throw InputError("cannot start " + argv.front() + ": " + std::strerror(errno));
  }
  if (pid == 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, STDIN_FILENO);
    for (const auto& variable : environment) putenv(const_cast<char*>(variable.c_str()));
    auto args = pointers(argv);
    execv(args[0], args.data());
    const std::string message = "cannot start " + argv.front() + ": " + std::strerror(errno) + "\n";
    (void)!write(STDERR_FILENO, message.data(), message.size());
    _exit(127);
  }
  close(fd);
  return pid;
}

} // namespace genlab::app
