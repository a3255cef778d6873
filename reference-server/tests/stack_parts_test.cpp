// fixtures/stack's optional parts, for real: `up --rabbitmq` (Debian's rabbitmq-server with
// its own epmd) and `up --servers 2` (two stampede-server processes behind nginx), on a
// private stack in a scratch folder on its own ports. A server killed under nginx is
// routed around, the next `up` brings it back, `down` stops every process it started.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "reference-server/tests/http_client.h"
#include "reference-server/tests/mysql_test_stack.h"

namespace stampede::server::testing {
namespace {

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t pid_in(const fs::path& file) {
  std::ifstream in(file);
  pid_t pid = 0;
  in >> pid;
  return pid;
}

// The first frame a RabbitMQ broker sends after the AMQP 0-9-1 protocol header is a method
// frame (type 1): connection.start. True when that is what comes back within 5 s.
bool speaks_amqp(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char header[] = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    if (::send(fd, header, sizeof header, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof header)) {
      pollfd p{fd, POLLIN, 0};
      unsigned char type = 0;
      ok = ::poll(&p, 1, 5000) == 1 && ::recv(fd, &type, 1, 0) == 1 && type == 1;
    }
  }
  ::close(fd);
  return ok;
}

// Which server answered each of `n` requests through nginx ("" when none said).
std::map<std::string, int> answers_through(int lb_port, int n, int* not_ok) {
  std::map<std::string, int> by_server;
  for (int i = 0; i < n; ++i) {
    HttpClient client(static_cast<std::uint16_t>(lb_port));
    const auto response = client.request("GET", "/health", "", /*keep_alive=*/false);
    if (response.status != 200) ++*not_ok;
    const auto it = response.headers.find("server-timing");
    ++by_server[it == response.headers.end() ? std::string() : it->second];
  }
  return by_server;
}

TEST(StackScript, RabbitmqAndServersBehindNginxComeAndGoWithTheStack) {
  if (auto missing = missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
  if (!fs::exists("/usr/lib/rabbitmq/bin/rabbitmq-server") || !installed("nginx")) {
    GTEST_SKIP() << "rabbitmq-server or nginx not installed (scripts/install-deps installs both)";
  }
  const std::string server_bin = std::string(STAMPEDE_BINARY_DIR) + "/reference-server/stampede-server";
  ASSERT_TRUE(fs::exists(server_bin)) << server_bin;

  Stack stack(1);
  // Ports 6..9 of this stack's block for RabbitMQ, epmd and nginx; the servers on the next block.
  const int amqp = stack.main_port() + 6, lb = stack.main_port() + 9, server_base = stack.main_port() + 10;
  stack.set_extra_env("STAMPEDE_AMQP_PORT=" + std::to_string(amqp) +
                      " STAMPEDE_RABBITMQ_DIST_PORT=" + std::to_string(amqp + 1) +
                      " STAMPEDE_EPMD_PORT=" + std::to_string(amqp + 2) +
                      " STAMPEDE_LB_PORT=" + std::to_string(lb) +
                      " STAMPEDE_SERVER_BASE_PORT=" + std::to_string(server_base));
  std::string output;
  ASSERT_EQ(stack.run("up --rabbitmq --servers 2 --server-bin " + server_bin +
                          " --server-flags '--threads 1 --workers 4'",
                      &output),
            0)
      << output;
  EXPECT_EQ(stack.run("status", &output), 0) << output;
  for (const char* part : {"epmd", "rabbitmq", "srv-1", "srv-2", "nginx"}) {
    EXPECT_NE(output.find(part), std::string::npos) << part << " missing from:\n" << output;
  }
  const std::string env = read_file(stack.dir() / "stack.env");
  EXPECT_NE(env.find("STAMPEDE_AMQP=127.0.0.1:" + std::to_string(amqp)), std::string::npos) << env;
  EXPECT_NE(env.find("STAMPEDE_LB=http://127.0.0.1:" + std::to_string(lb)), std::string::npos) << env;
  EXPECT_TRUE(speaks_amqp(amqp));

  // least_conn over two idle servers: both answer, each naming itself in Server-Timing.
  int not_ok = 0;
  auto by_server = answers_through(lb, 20, &not_ok);
  EXPECT_EQ(not_ok, 0);
  EXPECT_GT(by_server["srv-1"], 0);
  EXPECT_GT(by_server["srv-2"], 0);
  EXPECT_EQ(by_server["srv-1"] + by_server["srv-2"], 20);

  // srv-2 killed: nginx routes around it; `up` starts it again with the same flags.
  const fs::path lb_dir = stack.dir() / "lb";
  const pid_t srv2 = pid_in(lb_dir / "srv-2.pid");
  ASSERT_GT(srv2, 0);
  ASSERT_EQ(::kill(srv2, SIGKILL), 0);
  for (int i = 0; i < 100 && alive(srv2); ++i) std::this_thread::sleep_for(50ms);
  not_ok = 0;
  by_server = answers_through(lb, 10, &not_ok);
  EXPECT_EQ(not_ok, 0);
  EXPECT_EQ(by_server["srv-1"], 10);
  EXPECT_NE(stack.run("status", &output), 0) << output;
  ASSERT_EQ(stack.run("up", &output), 0) << output;
  const pid_t srv2_again = pid_in(lb_dir / "srv-2.pid");
  EXPECT_NE(srv2_again, srv2);
  EXPECT_TRUE(alive(srv2_again));
  const std::string cmdline = read_file("/proc/" + std::to_string(srv2_again) + "/cmdline");
  EXPECT_NE(cmdline.find(std::string("--workers") + '\0' + "4"), std::string::npos);

  // down stops everything, front to back, and forgets the optional parts.
  std::vector<pid_t> pids = stack.pids();
  for (const char* file : {"nginx.pid", "srv-1.pid", "srv-2.pid"}) pids.push_back(pid_in(lb_dir / file));
  for (const char* file : {"rabbitmq.pid", "epmd.pid"}) pids.push_back(pid_in(stack.dir() / "rabbitmq" / file));
  for (pid_t pid : pids) ASSERT_GT(pid, 0);
  ASSERT_EQ(stack.run("down", &output), 0) << output;
  for (pid_t pid : pids) EXPECT_FALSE(alive(pid)) << "pid " << pid << " survived down";
  stack.run("status", &output);
  EXPECT_EQ(output.find("rabbitmq"), std::string::npos) << output;
  EXPECT_EQ(output.find("nginx"), std::string::npos) << output;
  EXPECT_EQ(stack.run("down --purge", &output), 0) << output;
}

TEST(StackScript, OptionalPartsNeedUpAndACount) {
  Stack stack(2);
  std::string output;
  EXPECT_NE(stack.run("status --rabbitmq", &output), 0);
  EXPECT_NE(output.find("go with 'up'"), std::string::npos) << output;
  EXPECT_NE(stack.run("up --servers 0", &output), 0);
  EXPECT_NE(output.find("--servers: '0' is not a count"), std::string::npos) << output;
  EXPECT_NE(stack.run("up --server-flags '--threads 1'", &output), 0);
  EXPECT_NE(output.find("need --servers N"), std::string::npos) << output;
  EXPECT_NE(stack.run("up --servers 1 --server-bin /nonexistent/stampede-server", &output), 0);
  EXPECT_NE(output.find("/nonexistent/stampede-server is not an executable"), std::string::npos) << output;
  stack.run("down --purge", &output);
}

}  // namespace
}  // namespace stampede::server::testing
