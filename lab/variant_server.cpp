#include "lab/variant_server.h"

#include <fstream>
#include <sstream>

#include "lab/server_process.h"

namespace stampede::lab {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quoted_lines(const std::string& text, int max_lines = 8) {
  std::istringstream in(text);
  std::string line, out;
  for (int n = 0; n < max_lines && std::getline(in, line);) {
    if (line.empty()) continue;
    out += "  | " + line + "\n";
    ++n;
  }
  return out;
}

// stampede-server's exit code for problems with its settings (2), and CLI11's for flags it
// cannot parse (100..114: e.g. 104 a value that does not convert, 105 one that fails a check,
// 109 an unknown flag, 114 one given too often).
bool is_usage_exit(int code) { return code == 2 || (code >= 100 && code <= 114); }

}  // namespace

VariantServerSetup server_setup(const LabConfig& config, const LabVariant& variant, const std::filesystem::path& data,
                                int port) {
  VariantServerSetup s;
  s.flags = merge_server_flags(config.server_flags, variant.flags);
  s.strategy = flag_value(s.flags, "--strategy").value_or(std::string(kServerDefaultStrategy));
  s.args = {"--store", config.store, "--bind", "127.0.0.1", "--port", std::to_string(port),
            "--seed", std::to_string(config.seed), "--users", std::to_string(kLabDataSetUsers)};
  if (config.store == "sqlite") {
    s.args.insert(s.args.end(), {"--data", data.string(), "--shards", std::to_string(config.shards)});
  } else {
    s.args.push_back("--reset-on-mismatch");  // the stack's results were routed by another variant
  }
  s.args.insert(s.args.end(), s.flags.begin(), s.flags.end());
  return s;
}

std::vector<std::string> server_command(const std::filesystem::path& program, const VariantServerSetup& setup) {
  std::vector<std::string> command{program.string()};
  command.insert(command.end(), setup.args.begin(), setup.args.end());
  return command;
}

ServerStartCheck check_server_starts(const std::filesystem::path& program, const std::vector<std::string>& args,
                                     const std::filesystem::path& log, const std::vector<std::string>& environment,
                                     std::chrono::milliseconds timeout) {
  ServerStartCheck check;
  const std::filesystem::path err_log = log.string() + ".err";
  try {
    ServerProcess server(program, args, log, environment, err_log);
    try {
      server.wait_until_listening(timeout);
      check.started = true;
    } catch (const ServerProcessError& e) {
      check.error = e.what();
    }
    server.stop();
    check.exit = check.started ? "" : server.exit_description();
  } catch (const std::exception& e) {  // not started at all: not executable, fork, the log
    check.error = e.what();
    check.exit = "not started";
  }
  check.rejected = check.exit.starts_with("exit code ") && is_usage_exit(std::stoi(check.exit.substr(10)));
  check.stderr_lines = quoted_lines(read_text(err_log));
  std::error_code ec;
  if (check.started) {
    std::filesystem::remove(log, ec);
    std::filesystem::remove(err_log, ec);
  }
  return check;
}

}  // namespace stampede::lab
