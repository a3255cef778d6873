// The queued write path's faults, for real: RabbitMQ stopped under the router (grabs answer
// 503 and the stock goes back), a stampede-server --write-path queue killed with a backlog
// and started again (the drain proof agrees afterwards), and the flags' bad values (exit 2).
// Every wait is bounded; nothing is timed.
#include <cstdlib>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "reference-server/redis_stock.h"
#include "reference-server/router.h"
#include "reference-server/tests/admin_requests.h"
#include "reference-server/tests/queue_test_stack.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kServerBin = std::string(STAMPEDE_BINARY_DIR) + "/reference-server/stampede-server";

pid_t pid_in(const fs::path& file) {
  std::ifstream in(file);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

bool wait_gone(pid_t pid, std::chrono::seconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (alive(pid)) {
    int status = 0;
    ::waitpid(pid, &status, WNOHANG);  // reaps it when it is our child
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

HttpRequest grab_request(const std::string& body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/coupon/grab";
  r.body = body;
  return r;
}

TEST(QueueFaults, RabbitmqDownAnswers503AndGivesTheStockBack) {
  // Known bug (issue 17): the first half holds (503, stock given back), but after the broker
  // is started again by `fixtures/stack up`, grabs kept answering 503 for over 60 s on a fresh
  // clone (2026-12-08) while the broker took AMQP connections. Skipped until the publisher's
  // reconnect is fixed; STAMPEDE_RUN_KNOWN_BUGS=1 runs it.
  if (std::getenv("STAMPEDE_RUN_KNOWN_BUGS") == nullptr)
    GTEST_SKIP() << "known bug: no publish after a broker restart (issue 17); STAMPEDE_RUN_KNOWN_BUGS=1 runs it";
  std::string why_skipped;
  auto stack = queue_stack(why_skipped);
  if (!stack) GTEST_SKIP() << why_skipped;
  QueueRig rig(*stack, "down", 1);
  Metrics metrics(rig.store->shard_count());
  RouterOptions options;
  options.routing.room_count = 2;
  options.routing.shard_count = rig.store->shard_count();
  options.grab_queue = rig.path.get();
  Router router(*rig.store, options, metrics, nullptr);

  auto ok = router.handle(grab_request(R"({"user_id": 5, "coupon_id": 2})"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["queued"], true) << ok.body;
  EXPECT_EQ(ok.server_timing.rfind("queue;dur=", 0), 0u) << ok.server_timing;

  // The broker stops (its pid file is the stack's: this test's fixture started it).
  const pid_t broker = pid_in(stack->dir() / "rabbitmq" / "rabbitmq.pid");
  ASSERT_GT(broker, 0);
  ASSERT_EQ(::kill(broker, SIGTERM), 0);
  ASSERT_TRUE(wait_gone(broker, 90s)) << "rabbitmq (pid " << broker << ") did not stop";
  const auto before = rig.store->stock(2)->remaining_stock;
  auto refused = router.handle(grab_request(R"({"user_id": 6, "coupon_id": 2})"));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(json::parse(refused.body)["dependency"], kQueueDependency) << refused.body;
  EXPECT_EQ(refused.retry_after, "1");
  EXPECT_EQ(rig.store->stock(2)->remaining_stock, before);  // the unit went back
  EXPECT_EQ(rig.path->metrics().publish_failures(), 1);

  // Back up: the same user's grab now succeeds (the give-back also forgot the user).
  std::string output;
  ASSERT_EQ(stack->run("up", &output), 0) << output;
  auto again = router.handle(grab_request(R"({"user_id": 6, "coupon_id": 2})"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body)["queued"], true) << again.body;
  const auto report = rig.wait_drained();
  EXPECT_EQ(report["consistent"], true) << report.dump(2);
  EXPECT_EQ(report["totals"]["result_rows"], 2) << report.dump(2);
  EXPECT_EQ(report["totals"]["stock_taken"], 2) << report.dump(2);
}

// A stampede-server child on the queue stack; stopped (KILL) when the test ends.
class ServerProcess {
 public:
  ServerProcess(const Stack& stack, const std::vector<std::string>& args, const fs::path& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::setenv("STAMPEDE_STACK_DIR", stack.dir().c_str(), 1);
      ::setenv("STAMPEDE_SERVER_ADMIN_TOKEN", kTestAdminToken, 1);
      std::vector<char*> argv{const_cast<char*>(kServerBin.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(kServerBin.c_str(), argv.data());
      ::_exit(127);
    }
  }
  ~ServerProcess() { kill(SIGKILL); }
  void kill(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = 0;
};

bool healthy(std::uint16_t port, std::chrono::seconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      HttpClient client(port);
      if (client.request("GET", "/health", "", false).status == 200) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::string read_all(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(QueueServer, KilledWithABacklogAndStartedAgainLosesAndDuplicatesNothing) {
  std::string why_skipped;
  auto stack = queue_stack(why_skipped);
  if (!stack) GTEST_SKIP() << why_skipped;
  ASSERT_TRUE(fs::exists(kServerBin)) << kServerBin;
  TempDir data;
  const auto port = static_cast<std::uint16_t>(stack->main_port() + 9);
  // One slow consumer (a 50 ms modelled hop per row): a backlog builds under the grabs.
  const std::vector<std::string> args{"--store", "mysql", "--write-path", "queue", "--consumers", "1",
                                      "--shard-latency", "50ms", "--port", std::to_string(port),
                                      "--data", data.path().string(), "--users", "400", "--rooms", "2",
                                      "--hot-rooms", "1", "--coupons-per-room", "5", "--reset-on-mismatch",
                                      "--threads", "1", "--workers", "8"};
  const fs::path log = data.path() / "server.log";
  auto server = std::make_unique<ServerProcess>(*stack, args, log);
  ASSERT_TRUE(healthy(port, 120s)) << read_all(log);
  {
    HttpClient admin(port);
    ASSERT_EQ(admin_request(admin, "POST", "/admin/reset").status, 200);
  }
  int queued = 0;
  {
    HttpClient client(port);
    for (int user = 1; user <= 60; ++user) {
      for (int coupon : {1, 6}) {
        const auto r = client.request("POST", "/api/coupon/grab",
                                      json{{"user_id", user}, {"coupon_id", coupon}}.dump());
        ASSERT_EQ(r.status, 200) << r.body;
        const auto body = json::parse(r.body);
        if (body["queued"] == true) {
          ++queued;
          EXPECT_NE(r.headers.at("server-timing").find("queue;dur="), std::string::npos);
          EXPECT_TRUE(body["result_id"].is_null());
        }
      }
    }
    const auto stats = json::parse(client.request("GET", "/admin/stats").body);
    EXPECT_EQ(stats["write_path"], "queue");
    EXPECT_EQ(stats["queue"]["published"], queued);
    const auto metrics = client.request("GET", "/metrics").body;
    EXPECT_NE(metrics.find("stampede_server_queue_depth "), std::string::npos);
    EXPECT_NE(metrics.find("stampede_server_queue_delay_seconds_bucket{shard=\"0\""), std::string::npos);
  }
  ASSERT_GT(queued, 0);
  server->kill(SIGKILL);  // with the backlog still queued (and a row perhaps committed, not acked)

  server = std::make_unique<ServerProcess>(*stack, args, log);
  ASSERT_TRUE(healthy(port, 120s)) << read_all(log);
  json report;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  do {
    HttpClient admin(port);
    const auto r = admin_request(admin, "GET", "/admin/queue");
    ASSERT_EQ(r.status, 200) << r.body;
    report = json::parse(r.body);
    if (report["drained"] == true && report["consistent"] == true) break;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(report["drained"], true) << report.dump(2);
  EXPECT_EQ(report["consistent"], true) << report.dump(2);
  EXPECT_EQ(report["totals"]["result_rows"], queued) << report.dump(2);
  EXPECT_EQ(report["totals"]["successful_grabs"], queued) << report.dump(2);
  server->kill(SIGTERM);
}

TEST(QueueServer, BadQueueFlagsExitTwoNamingTheFlag) {
  ASSERT_TRUE(fs::exists(kServerBin)) << kServerBin;
  TempDir data;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--write-path later", "--write-path: expected sync or queue"},
      {"--write-path queue", "--write-path queue: needs --store mysql"},
      {"--store mysql --consumers 0", "--consumers: expected 1..64"},
      {"--store mysql --write-path queue --amqp amqp://h:0/", "--amqp 'amqp://h:0/'"},
  };
  for (const auto& [flags, expected] : cases) {
    const std::string command = kServerBin + " --data " + data.path().string() + " " + flags + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = ::pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << flags << "\n" << output;
    EXPECT_NE(output.find(expected), std::string::npos) << flags << "\n" << output;
  }
}

}  // namespace
}  // namespace stampede::server::testing
