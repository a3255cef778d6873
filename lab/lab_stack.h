// The MariaDB + Redis stack for `stampede lab --store mysql`, through `fixtures/stack`
// (see fixtures/README.md): if the stack is down, start it with STAMPEDE_SHARDS=N and stop
// it again when the lab ends — only when this lab started it; if it is up with another
// shard count, refuse (the lab's --shards must match the stack's).
//
// The script is `$STAMPEDE_STACK_SCRIPT`, else `fixtures/stack` under the working
// directory, else under the source tree this binary was built from. The stack's folder is
// the script's own choice (`$STAMPEDE_STACK_DIR` or `<repo>/.stampede/stack`), the same one
// stampede-server reads its settings from.
//
// Errors: LabStack::ensure throws LabStackError with a message for the user; its kind tells
// a request that can't be met (the stack is up with another shard count: naming --shards)
// from a stack that failed. Not thread-safe.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>

namespace stampede::lab {

class LabStackError : public std::runtime_error {
 public:
  enum class Kind {
    kShardMismatch,  // the stack is up with another shard count than --shards
    kFailed,         // no script, or it failed to start the stack
  };
  LabStackError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class LabStack {
 public:
  // Makes sure a stack with `shards` shards is up, with read replicas when `replicas` > 0 (a
  // variant reads from them: `fixtures/stack up --replicas N`, which adds them to a stack that
  // is already up; they stay until the stack's `down`), and with RabbitMQ when `rabbitmq` (a
  // variant takes the queued write path: `up --rabbitmq`). Progress lines go to `out`.
  static LabStack ensure(int shards, std::ostream& out, int replicas = 0, bool rabbitmq = false);
  LabStack(LabStack&& other) noexcept;
  LabStack& operator=(LabStack&&) = delete;
  ~LabStack();  // stop()

  // Stops the stack when this lab started it; otherwise leaves it alone. Idempotent.
  void stop();

  bool started_here() const { return started_here_; }
  const std::filesystem::path& script() const { return script_; }

 private:
  LabStack(std::filesystem::path script, int shards, bool started_here, std::ostream* out)
      : script_(std::move(script)), shards_(shards), started_here_(started_here), out_(out) {}

  std::filesystem::path script_;
  int shards_ = 0;
  bool started_here_ = false;
  std::ostream* out_ = nullptr;
};

std::optional<std::filesystem::path> find_stack_script();

// Number of entries of STAMPEDE_MYSQL_SHARDS in a stack.env text; nullopt when absent. Pure.
std::optional<int> stack_env_shard_count(const std::string& env_text);

}  // namespace stampede::lab
