// Test helper: run Debian's python3 (with its msgpack and locust packages) on a script and
// capture what it prints. Tests that need it skip when python3-locust is not installed.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace stampede::locust::testing {

inline bool have_locust() { return std::filesystem::exists("/usr/lib/python3/dist-packages/locust/__init__.py"); }

struct PythonRun {
  int status = -1;
  std::string out;  // stdout and stderr
};

// Writes `script` to `dir`/script.py and runs Debian's `/usr/bin/python3 script.py args` in
// `dir` (not whichever python3 comes first on PATH: Locust is installed for Debian's).
inline PythonRun run_python(const std::filesystem::path& dir, const std::string& script, const std::string& args = "") {
  std::ofstream(dir / "script.py") << script;
  const std::string command = "cd '" + dir.string() + "' && /usr/bin/python3 script.py " + args + " 2>&1";
  PythonRun run;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
    run.status = ::pclose(pipe);
  }
  return run;
}

// A fresh folder under the temp directory for one test, removed by the caller.
inline std::filesystem::path test_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("stampede-locust-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace stampede::locust::testing
