// `stampede run` against https:// (the TLS test server, certificates made for the test):
// --insecure and --ca-file into the RunConfig; a bad --ca-file is a usage error naming the
// flag and the file before any load; a certificate that fails verification fails the
// requests (exit 1) with the host and the reason; both transports follow the flags.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "generator/commands/exit_codes.h"
#include "generator/commands/run_command.h"
#include "generator/commands/tests/cli_runner.h"
#include "generator/http/tests/test_certificates.h"
#include "generator/http/tests/test_tls_server.h"

namespace stampede::commands {
namespace {
namespace fs = std::filesystem;
using http::testing::TestCertificates;
using http::testing::TestTlsServer;

class TlsFlags : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-tls-flags-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    scenario_ = dir_ / "get.json";
    std::ofstream(scenario_) << R"({"stampede_scenario": 1, "name": "tls", "user_classes": [{"name": "U",
      "wait_time": {"constant": 0.05}, "tasks": [{"request": {"name": "/", "method": "GET", "path": "/"}}]}]})";
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::CliResult run(const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> args{"run", "-f", scenario_.string(), "-H", host, "-u", "1", "-t", "1s",
                                  "--threads", "1", "--only-summary", "--stop-timeout", "2s",
                                  "--out", (dir_ / ("run" + std::to_string(runs_++))).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_stampede(args);
  }

  fs::path dir_;
  fs::path scenario_;
  int runs_ = 0;
  TestCertificates certs_;
};

TEST_F(TlsFlags, FlagsGoIntoTheRunConfig) {
  RawRunOptions raw;
  raw.file = "scenarios/coupon.json";
  raw.host = "https://127.0.0.1:1";
  engine::RunConfig config;
  std::vector<std::string> problems;
  ASSERT_TRUE(to_config(raw, config, problems)) << problems.front();
  EXPECT_TRUE(config.tls.verify);
  EXPECT_EQ(config.tls.ca_file, "");
  raw.insecure = true;
  raw.ca_file = certs_.ca.string();
  ASSERT_TRUE(to_config(raw, config, problems)) << problems.front();
  EXPECT_FALSE(config.tls.verify);
  EXPECT_EQ(config.tls.ca_file, certs_.ca.string());
}

TEST_F(TlsFlags, ABadCaFileIsAUsageErrorNamingFlagAndFileBeforeAnyLoad) {
  TestTlsServer server(certs_.server_cert, certs_.server_key);
  auto r = run(server.url(), {"--ca-file", "/no/such/ca.pem"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("stampede run: --ca-file: cannot read '/no/such/ca.pem': No such file or directory"),
            std::string::npos)
      << r.err;
  const fs::path not_pem = dir_ / "key-only.pem";
  fs::copy_file(certs_.server_key, not_pem);
  r = run(server.url(), {"--ca-file", not_pem.string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("--ca-file: no PEM certificate in '" + not_pem.string() + "'"), std::string::npos) << r.err;
  EXPECT_EQ(server.handshakes() + server.failed_handshakes(), 0u);
}

TEST_F(TlsFlags, AnUnverifiedCertificateFailsTheRequestsWithHostAndReason) {
  TestTlsServer server(certs_.server_cert, certs_.server_key);
  for (const char* transport : {"native", "curl"}) {
    auto r = run(server.url(), {"--transport", transport});
    EXPECT_EQ(r.code, kExitRequestsFailed) << transport << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("certificate verify failed for 127.0.0.1: unable to get local issuer certificate"),
              std::string::npos)
        << transport << r.out << r.err;
  }
  EXPECT_EQ(server.requests(), 0u);
}

TEST_F(TlsFlags, TheTestCaOrInsecureLetTheRunThroughOnBothTransports) {
  TestTlsServer server(certs_.server_cert, certs_.server_key);
  std::uint64_t before = 0;
  for (std::vector<std::string> flags : std::vector<std::vector<std::string>>{
           {"--ca-file", certs_.ca.string()},
           {"--insecure"},
           {"--transport", "curl", "--ca-file", certs_.ca.string()},
           {"--transport", "curl", "--insecure"}}) {
    auto r = run(server.url(), flags);
    EXPECT_EQ(r.code, kExitOk) << flags.back() << r.out << r.err;
    EXPECT_GT(server.requests(), before) << flags.front() << " " << flags.back();
    before = server.requests();
  }
}

}  // namespace
}  // namespace stampede::commands
