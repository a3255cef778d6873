// ServerProcess with real child processes (small shell scripts standing in for the server,
// which the lab integration test then starts for real), and the "listening on" parser.
#include "lab/server_process.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "lab/admin_client.h"
#include "lab/lab_stack.h"

namespace stampede::lab {
namespace {

namespace fs = std::filesystem;

class ServerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-serverproc-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path script(const std::string& body) {
    fs::path file = dir_ / "server.sh";
    std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(file, fs::perms::owner_all);
    return file;
  }

  fs::path dir_;
};

TEST(FindListeningUrl, NeedsTheWholeLine) {
  EXPECT_EQ(find_listening_url("seeding\nstampede-server listening on http://127.0.0.1:4321\n  store sqlite"),
            "http://127.0.0.1:4321");
  EXPECT_EQ(find_listening_url("stampede-server listening on http://127.0.0.1:43"), "") << "line not complete";
  EXPECT_EQ(find_listening_url("store is empty: seeding\n"), "");
  EXPECT_EQ(find_listening_url("listening on somewhere\n"), "");
}

TEST(StackEnv, CountsTheShardList) {
  EXPECT_EQ(stack_env_shard_count("STAMPEDE_MYSQL_MAIN=a\nSTAMPEDE_MYSQL_SHARDS=h:1/d0,h:2/d1,h:3/d2\n"), 3);
  EXPECT_EQ(stack_env_shard_count("STAMPEDE_MYSQL_MAIN=a\n"), std::nullopt);
}

TEST_F(ServerProcessTest, ReadsThePortAndStopsWithSigterm) {
  fs::path log = dir_ / "logs" / "s.log";
  ServerProcess server(script("echo 'x listening on http://127.0.0.1:5555'; exec sleep 30"), {}, log);
  EXPECT_EQ(server.wait_until_listening(std::chrono::seconds(10)), "http://127.0.0.1:5555");
  EXPECT_TRUE(server.running());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(server.stop(std::chrono::seconds(5)));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_FALSE(server.running());
  EXPECT_EQ(server.exit_description(), "killed by signal 15");
}

TEST_F(ServerProcessTest, KillsWhatIgnoresSigterm) {
  ServerProcess server(script("trap '' TERM; echo 'listening on http://127.0.0.1:1'; while :; do sleep 1; done"), {},
                       dir_ / "s.log");
  server.wait_until_listening(std::chrono::seconds(10));
  EXPECT_FALSE(server.stop(std::chrono::milliseconds(300)));
  EXPECT_FALSE(server.running());
}

TEST_F(ServerProcessTest, AServerThatDiesIsReportedWithItsLog) {
  fs::path log = dir_ / "s.log";
  ServerProcess server(script("echo 'stampede-server: cannot open the data'; exit 2"), {}, log);
  try {
    server.wait_until_listening(std::chrono::seconds(10));
    FAIL() << "expected an error";
  } catch (const ServerProcessError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("exited (exit code 2) before listening"), std::string::npos) << what;
    EXPECT_NE(what.find(log.string()), std::string::npos) << what;
    EXPECT_NE(what.find("cannot open the data"), std::string::npos) << what;
  }
}

TEST_F(ServerProcessTest, SilenceTimesOut) {
  ServerProcess server(script("exec sleep 30"), {}, dir_ / "s.log");
  EXPECT_THROW(server.wait_until_listening(std::chrono::milliseconds(200)), ServerProcessError);
}

TEST_F(ServerProcessTest, ArgumentsArePassedAsIs) {
  ServerProcess server(script("echo \"args: $1|$2\"; echo 'listening on http://127.0.0.1:9'; exec sleep 30"),
                       {"--strategy", "a b"}, dir_ / "s.log");
  server.wait_until_listening(std::chrono::seconds(10));
  EXPECT_NE(server.log_tail().find("args: --strategy|a b"), std::string::npos) << server.log_tail();
}

TEST_F(ServerProcessTest, EnvironmentIsAddedToTheInheritedOneNotToTheArguments) {
  ::setenv("STAMPEDE_TEST_INHERITED", "kept", 1);
  ::setenv("STAMPEDE_TEST_SECRET", "old", 1);
  ServerProcess server(script("echo \"env: $STAMPEDE_TEST_SECRET|$STAMPEDE_TEST_INHERITED|$#\"; "
                              "echo 'listening on http://127.0.0.1:9'; exec sleep 30"),
                       {}, dir_ / "s.log", {"STAMPEDE_TEST_SECRET=s3cret"});
  ::unsetenv("STAMPEDE_TEST_INHERITED");
  ::unsetenv("STAMPEDE_TEST_SECRET");
  server.wait_until_listening(std::chrono::seconds(10));
  EXPECT_NE(server.log_tail().find("env: s3cret|kept|0"), std::string::npos) << server.log_tail();
}

}  // namespace
}  // namespace stampede::lab

#ifdef STAMPEDE_SERVER_BIN
namespace stampede::lab {
namespace {

// The lab starts stampede-server with --reset-on-mismatch on stores that other runs (or
// tests) may have seeded with another data set; the load draws ids from the one the lab
// asks for, so that one must be what is served.
TEST_F(ServerProcessTest, ResetOnMismatchSeedsTheDataSetTheFlagsAskFor) {
  const fs::path data = dir_ / "data";
  const std::string seed_cmd = std::string(STAMPEDE_SERVER_BIN) + " seed --data " + data.string() +
                               " --users 500 --rooms 10 --seed 3 > /dev/null";
  ASSERT_EQ(std::system(seed_cmd.c_str()), 0);
  const std::vector<std::string> common = {"--data", data.string(), "--rooms", "10", "--seed", "3",
                                           "--bind", "127.0.0.1", "--port", "0"};

  std::vector<std::string> keep = common;
  keep.insert(keep.end(), {"--users", "900"});
  {
    ServerProcess server(STAMPEDE_SERVER_BIN, keep, dir_ / "keep.log");
    server.wait_until_listening(std::chrono::seconds(60));
    EXPECT_NE(server.log_tail(20).find("data: seed 3, 500 users"), std::string::npos) << server.log_tail(20);
    EXPECT_NE(server.log_tail(20).find("serving the stored data set"), std::string::npos);
    server.stop();
  }

  std::vector<std::string> reset = keep;
  reset.push_back("--reset-on-mismatch");
  ServerProcess server(STAMPEDE_SERVER_BIN, reset, dir_ / "reset.log");
  server.wait_until_listening(std::chrono::seconds(60));
  EXPECT_NE(server.log_tail(20).find("data: seed 3, 900 users"), std::string::npos) << server.log_tail(20);
  server.stop();
}

// Issue 20: the admin endpoints of the real server, as the lab starts it.
class ServerAdminTest : public ServerProcessTest {
 protected:
  void SetUp() override {
    ServerProcessTest::SetUp();
    data_ = dir_ / "data";
    const std::string seed_cmd = std::string(STAMPEDE_SERVER_BIN) + " seed --data " + data_.string() +
                                 " --users 500 --rooms 10 --seed 3 > /dev/null";
    ASSERT_EQ(std::system(seed_cmd.c_str()), 0);
  }
  std::vector<std::string> args(std::vector<std::string> more = {}) const {
    std::vector<std::string> all = {"--data", data_.string(), "--users", "500", "--rooms", "10", "--seed", "3",
                                    "--port", "0", "--threads", "1"};
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
  static std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path data_;
};

TEST_F(ServerAdminTest, TheTokenFromTheEnvironmentGuardsResetAndStaysOutOfSight) {
  const std::string token = make_admin_token();
  ServerProcess server(STAMPEDE_SERVER_BIN, args(), dir_ / "s.log", {std::string(kServerAdminTokenEnv) + "=" + token});
  const std::string url = server.wait_until_listening(std::chrono::seconds(60));
  EXPECT_EQ(http_post(url + "/admin/reset").status, 401);
  EXPECT_EQ(http_post(url + "/admin/reset", std::chrono::seconds(60), "wrong-token-0123456789").status, 401);
  EXPECT_EQ(http_post(url + "/admin/reset", std::chrono::seconds(60), token).status, 200);
  EXPECT_EQ(http_get(url + "/admin/reshard", std::chrono::seconds(30), token).status, 200);
  EXPECT_EQ(http_get(url + "/admin/stats").status, 200) << "the study's reads need no token";
  EXPECT_EQ(http_get(url + "/admin/shards/status").status, 200);
  EXPECT_EQ(read_file(server.log()).find(token), std::string::npos) << "not in the log";
  EXPECT_EQ(read_file("/proc/" + std::to_string(server.pid()) + "/cmdline").find(token), std::string::npos)
      << "not in the process list";
  EXPECT_FALSE(fs::exists(data_ / "admin-token")) << "a given token is not written anywhere";
}

TEST_F(ServerAdminTest, WithoutATokenOneIsWrittenForTheOwnerOnly) {
  ServerProcess server(STAMPEDE_SERVER_BIN, args(), dir_ / "s.log", {std::string(kServerAdminTokenEnv) + "="});
  const std::string url = server.wait_until_listening(std::chrono::seconds(60));
  const fs::path file = data_ / "admin-token";
  const std::string log = read_file(server.log());
  EXPECT_NE(log.find("admin token written to " + file.string()), std::string::npos) << log;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string token = read_file(file);
  ASSERT_TRUE(token.ends_with("\n"));
  token.pop_back();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(log.find(token), std::string::npos) << "the path is printed, not the token";
  EXPECT_EQ(http_post(url + "/admin/reset").status, 401);
  EXPECT_EQ(http_post(url + "/admin/reset", std::chrono::seconds(60), token).status, 200);
}

TEST_F(ServerAdminTest, ANonLoopbackBindNeedsAToken) {
  ServerProcess server(STAMPEDE_SERVER_BIN, args({"--bind", "0.0.0.0"}), dir_ / "s.log",
                       {std::string(kServerAdminTokenEnv) + "="});
  try {
    server.wait_until_listening(std::chrono::seconds(60));
    FAIL() << "expected the server to refuse";
  } catch (const ServerProcessError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exit code 2"), std::string::npos) << what;
    EXPECT_NE(what.find("--bind 0.0.0.0"), std::string::npos) << what;
    EXPECT_NE(what.find("--admin-token"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace stampede::lab
#endif
