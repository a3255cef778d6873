// Test helper for the queued write path: the stack with RabbitMQ that ctest's fixture
// queue_stack started (queue_path.cmake: STAMPEDE_QUEUE_STACK_DIR, and the ports in
// STAMPEDE_QUEUE_STACK_ENV), a MysqlStore on it seeded with a small data set, and a
// QueueWritePath on a queue of the test's own.
#pragma once

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "reference-server/mysql_store.h"
#include "reference-server/queue_write_path.h"
#include "reference-server/seeder.h"
#include "reference-server/tests/mysql_test_stack.h"
#include "reference-server/tests/small_dataset.h"

namespace stampede::server::testing {

// The fixture's stack, or nullptr with `why` set (then the test skips).
inline std::unique_ptr<Stack> queue_stack(std::string& why) {
  if (auto missing = missing_tools(); !missing.empty()) {
    why = "not installed: " + missing;
    return nullptr;
  }
  if (!fs::exists("/usr/lib/rabbitmq/bin/rabbitmq-server")) {
    why = "rabbitmq-server not installed (scripts/install-deps installs it)";
    return nullptr;
  }
  const char* dir = std::getenv("STAMPEDE_QUEUE_STACK_DIR");
  if (dir == nullptr || !fs::exists(fs::path(dir) / "stack.env")) {
    why = "no queue stack: run through ctest (fixture queue_stack), or fixtures/stack up --rabbitmq --dir DIR "
          "and set STAMPEDE_QUEUE_STACK_DIR=DIR and STAMPEDE_QUEUE_STACK_ENV='STAMPEDE_AMQP_PORT=... ...'";
    return nullptr;
  }
  ::setenv("STAMPEDE_TEST_STACK_DIR", dir, 1);  // Stack::shared() reads the ports from there
  auto stack = Stack::shared();
  if (const char* env = std::getenv("STAMPEDE_QUEUE_STACK_ENV")) stack->set_extra_env(env);
  return stack;
}

// STAMPEDE_AMQP of the stack's stack.env.
inline AmqpUrl amqp_of(const Stack& stack) {
  std::ifstream in(stack.dir() / "stack.env");
  std::string line;
  std::string problem;
  while (std::getline(in, line)) {
    if (line.rfind("STAMPEDE_AMQP=", 0) == 0) {
      if (auto url = parse_amqp_url(line.substr(14), problem)) return *url;
    }
  }
  ADD_FAILURE() << "no STAMPEDE_AMQP in " << (stack.dir() / "stack.env") << " " << problem;
  return AmqpUrl{};
}

// A store seeded with `users` users, 2 rooms of 5 coupons of `stock` units each, and a
// queued write path on `queue` (deleted first if a test left messages in it: a new name
// per test process) with `consumers` consumers.
struct QueueRig {
  QueueRig(Stack& stack, const std::string& name, int consumers, std::int64_t users = 400, std::int64_t stock = 50)
      : settings(stack.settings()) {
    MysqlStoreOptions store_options;
    store_options.settings = settings;
    store = std::make_unique<MysqlStore>(store_options);
    seed_store(*store, small_dataset(users, 2, 1, stock), Strategy::hash);
    QueueWritePathOptions options;
    options.settings = settings;
    options.amqp = amqp_of(stack);
    options.consumers = consumers;
    options.queue = "stampede.test." + name + "." + std::to_string(::getpid());
    options.confirm_timeout = std::chrono::seconds(5);
    path = std::make_unique<QueueWritePath>(*store, options);
  }
  ~QueueRig() { path.reset(); }

  GrabRequest request(std::int64_t user, std::int64_t coupon) const {
    GrabRequest r;
    r.user_id = user;
    r.coupon_id = coupon;
    r.room_id = store->find_coupon(coupon)->room_id;
    r.grab_time_ms = 1'765'150'000'000 + user;
    r.shard = static_cast<int>(user % store->shard_count());
    return r;
  }

  // Polls the drain proof until the queue drained (at most `bound`: a bound, not a
  // measurement); returns the last report.
  nlohmann::json wait_drained(std::chrono::seconds bound = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    nlohmann::json report;
    do {
      report = path->drain_report();
      if (report["drained"] == true && report["consistent"] == true) return report;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return report;
  }

  MysqlSettings settings;
  std::unique_ptr<MysqlStore> store;
  std::unique_ptr<QueueWritePath> path;
};

}  // namespace stampede::server::testing
