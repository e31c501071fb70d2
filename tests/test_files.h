// Shared fixtures for the catalog and CLI tests: a temporary folder removed on scope
// exit, writing and reading whole files, and running a command with its stdout, stderr
// and exit code captured separately. Header-only; POSIX.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace emotune::testing {

// A fresh folder under ::testing::TempDir(), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string base = ::testing::TempDir();
    if (base.empty()) base = "/tmp/";
    if (base.back() != '/') base += '/';
    std::string tmpl = base + "emotune-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed in " + base);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the folder, as a string.
  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Writes `contents` to `path` byte for byte (creating parent folders), returns `path`.
inline std::string WriteFile(const std::string& path, std::string_view contents) {
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CommandResult {
  int exit_code = -1;  // the process's exit status, or -1 if it did not exit normally
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs `argv[0]` with `argv` (no shell), with `env` set (a value of nullopt unsets
// the variable) and stdin from `input` (default: empty), capturing stdout and stderr
// through files in a private temporary folder.
inline CommandResult RunCommand(const std::vector<std::string>& argv,
                                const std::map<std::string, std::optional<std::string>>& env = {},
                                const std::string& input = "") {
  TempDir capture;
  const std::string in_path = WriteFile(capture.File("stdin"), input);
  const std::string out_path = capture.File("stdout");
  const std::string err_path = capture.File("stderr");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    for (const auto& [name, value] : env) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
    if (!std::freopen(in_path.c_str(), "r", stdin) || !std::freopen(out_path.c_str(), "w", stdout) ||
        !std::freopen(err_path.c_str(), "w", stderr))
      ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

// Number of '\n'-terminated (or final unterminated) lines in `text`.
inline std::size_t CountLines(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (c == '\n');
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

}  // namespace emotune::testing
