#include "lab/lab_stack.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <sstream>
#include <stdexcept>

#ifndef STAMPEDE_SOURCE_TREE
#define STAMPEDE_SOURCE_TREE ""
#endif

namespace stampede::lab {
namespace {

struct Output {
  int code = -1;
  std::string text;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `STAMPEDE_SHARDS=N script args` through the shell; stdout and stderr captured.
Output run_script(const std::filesystem::path& script, int shards, const std::string& args) {
  std::string command = "STAMPEDE_SHARDS=" + std::to_string(shards) + " " + quoted(script.string()) + " " +
                        args + " 2>&1";
  Output out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw LabStackError(LabStackError::Kind::kFailed, "cannot run " + script.string());
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.text.append(buffer, n);
  int status = ::pclose(pipe);
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

bool any_instance_up(const std::string& status_text) {
  std::istringstream in(status_text);
  std::string line;
  while (std::getline(in, line))
    if (line.size() >= 3 && line.compare(line.size() - 3, 3, " up") == 0) return true;
  return false;
}

}  // namespace

std::optional<std::filesystem::path> find_stack_script() {
  if (const char* env = std::getenv("STAMPEDE_STACK_SCRIPT"); env && *env) return std::filesystem::path(env);
  if (std::filesystem::is_regular_file("fixtures/stack")) return std::filesystem::absolute("fixtures/stack");
  std::filesystem::path built_from = std::filesystem::path(STAMPEDE_SOURCE_TREE) / "fixtures" / "stack";
  if (!std::string(STAMPEDE_SOURCE_TREE).empty() && std::filesystem::is_regular_file(built_from)) return built_from;
  return std::nullopt;
}

std::optional<int> stack_env_shard_count(const std::string& env_text) {
  std::istringstream in(env_text);
  std::string line;
  static constexpr std::string_view kKey = "STAMPEDE_MYSQL_SHARDS=";
  while (std::getline(in, line)) {
    if (!line.starts_with(kKey)) continue;
    std::string value = line.substr(kKey.size());
    if (value.empty()) return 0;
    int count = 1;
    for (char c : value) count += c == ',';
    return count;
  }
  return std::nullopt;
}

LabStack LabStack::ensure(int shards, std::ostream& out, int replicas, bool rabbitmq) {
  const std::string up_args = std::string("up") + (replicas > 0 ? " --replicas " + std::to_string(replicas) : "") +
                              (rabbitmq ? " --rabbitmq" : "");
  auto script = find_stack_script();
  if (!script)
    throw LabStackError(LabStackError::Kind::kFailed, "--store mysql: fixtures/stack not found (run from the repository root, or set "
                             "STAMPEDE_STACK_SCRIPT)");
  Output status = run_script(*script, shards, "status");
  if (any_instance_up(status.text)) {
    Output env = run_script(*script, shards, "env");
    auto count = stack_env_shard_count(env.text);
    if (count && *count != shards)
      throw LabStackError(LabStackError::Kind::kShardMismatch, "--shards: the MariaDB stack is up with " + std::to_string(*count) +
                               " shards, the lab asks for " + std::to_string(shards) + "; use --shards " +
                               std::to_string(*count) + " or stop the stack (fixtures/stack down)");
    const bool has_replicas = env.text.find("STAMPEDE_MYSQL_SHARD_REPLICAS=") != std::string::npos;
    const bool has_rabbitmq = env.text.find("STAMPEDE_AMQP=") != std::string::npos;
    if (status.code == 0 && (replicas == 0 || has_replicas) && (!rabbitmq || has_rabbitmq)) {
      out << "lab: using the MariaDB stack that is already up (" << shards << " shards"
          << (has_replicas ? ", with replicas" : "") << (has_rabbitmq ? ", with RabbitMQ" : "") << ")\n";
      return LabStack(*script, shards, false, &out);
    }
    // Partly up with the right count, or without the replicas asked for: start what is
    // missing, but it is not ours to stop.
    if (replicas > 0 && !has_replicas) out << "lab: adding read replicas to the MariaDB stack (" << up_args << ")\n";
    if (rabbitmq && !has_rabbitmq) out << "lab: adding RabbitMQ to the stack (" << up_args << ")\n";
    Output up = run_script(*script, shards, up_args);
    if (up.code != 0) throw LabStackError(LabStackError::Kind::kFailed, "fixtures/stack up failed:\n" + up.text);
    return LabStack(*script, shards, false, &out);
  }
  out << "lab: starting the MariaDB stack (" << shards << " shards) with " << script->string() << " " << up_args
      << "\n";
  Output up = run_script(*script, shards, up_args);
  if (up.code != 0) {
    run_script(*script, shards, "down");
    throw LabStackError(LabStackError::Kind::kFailed, "fixtures/stack up failed:\n" + up.text);
  }
  return LabStack(*script, shards, true, &out);
}

LabStack::LabStack(LabStack&& other) noexcept
    : script_(std::move(other.script_)), shards_(other.shards_), started_here_(other.started_here_), out_(other.out_) {
  other.started_here_ = false;
}

LabStack::~LabStack() {
  try {
    stop();
  } catch (...) {
  }
}

void LabStack::stop() {
  if (!started_here_) return;
  started_here_ = false;
  if (out_) *out_ << "lab: stopping the MariaDB stack it started\n";
  Output down = run_script(script_, shards_, "down");
  if (down.code != 0 && out_) *out_ << "lab: fixtures/stack down said:\n" << down.text;
}

}  // namespace stampede::lab
