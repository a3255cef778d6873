// The run-end bound: a run ends within its run time + stop timeout + a small margin
// whatever the target does, and leaves its result folder with the failures counted.
// Three hostile targets on 127.0.0.1, started by the test: one that accepts no connection
// (a full backlog), one that accepts and never answers, one that answers a byte at a time
// forever. The margin asserted is generous: this is a bound, not a speed test.
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include "generator/engine/tests/engine_fixture.h"
#include "generator/engine/virtual_user.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A TCP listener on 127.0.0.1 that misbehaves in one of three ways, on its own thread.
class HostileTarget {
 public:
  enum class Kind {
    kAcceptsNothing,  // listen(backlog 0) and never accept(): the queue fills, then SYNs are dropped
    kNeverAnswers,    // accept, read nothing, write nothing
    kTrickles,        // accept, then send an endless response one byte per `interval`
  };

  explicit HostileTarget(Kind kind, std::chrono::milliseconds interval = 1000ms)
      : kind_(kind), interval_(interval), acceptor_(io_) {
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen(kind == Kind::kAcceptsNothing ? 0 : asio::socket_base::max_listen_connections);
    if (kind != Kind::kAcceptsNothing) accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~HostileTarget() {
    io_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto held = std::make_shared<tcp::socket>(std::move(socket));
      held_.push_back(held);
      if (kind_ == Kind::kTrickles) trickle(held, std::make_shared<asio::steady_timer>(io_), 0);
      accept();
    });
  }

  // "HTTP/1.1 200 OK", headers announcing a body of 1 GB, then the body, one byte at a time.
  void trickle(std::shared_ptr<tcp::socket> socket, std::shared_ptr<asio::steady_timer> timer, std::size_t sent) {
    static const std::string kHead = "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n";
    const char byte = sent < kHead.size() ? kHead[sent] : 'x';
    boost::system::error_code ec;
    asio::write(*socket, asio::buffer(&byte, 1), ec);
    if (ec) return;
    timer->expires_after(interval_);
    timer->async_wait([this, socket, timer, sent](boost::system::error_code wait_ec) {
      if (!wait_ec) trickle(socket, timer, sent + 1);
    });
  }

  Kind kind_;
  std::chrono::milliseconds interval_;
  asio::io_context io_{1};
  tcp::acceptor acceptor_;
  std::vector<std::shared_ptr<tcp::socket>> held_;
  std::thread thread_;
};

class RunEndBoundTest : public testing::EngineRun {
 protected:
  // 20 users against `target` for 2 s with a 1 s stop timeout: the run returns within
  // 2 + 1 + 10 s, its folder is complete and every request it made is a failure.
  void expect_bounded_run(const std::string& target) {
    auto s = scenario(R"({"stampede_scenario": 1, "name": "hostile", "user_classes": [
      {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
        {"request": {"name": "get", "method": "GET", "path": "/"}}]}]})");
    RunConfig c = config(target, 20, 2s);
    c.stop_timeout = 1s;
    const auto started = std::chrono::steady_clock::now();
    const RunOutcome outcome = run(c, s);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, 2s + 1s + 10s) << "run time + stop timeout + margin";
    EXPECT_GE(took, 2s) << "and not before its run time";
    results::RunResult r = results::read_result_folder(dir_ / "run");
    EXPECT_EQ(r.info.status, "complete");
    EXPECT_EQ(r.info.stop_reason, "run time reached");
    EXPECT_GE(r.aggregated.requests, 20u) << "every user's request is counted, at the latest when abandoned";
    EXPECT_EQ(r.aggregated.failures, r.aggregated.requests);
    EXPECT_EQ(outcome.failures, r.aggregated.failures);
    ASSERT_FALSE(r.failures.empty());
  }
};

TEST_P(RunEndBoundTest, ATargetThatAcceptsNothing) {
  HostileTarget target(HostileTarget::Kind::kAcceptsNothing);
  expect_bounded_run(target.url());
  // The connect timeout (5 s) is longer than the run: what never connected was abandoned.
  bool abandoned = false;
  for (const auto& f : results::read_result_folder(dir_ / "run").failures) abandoned = abandoned || f.error == kAbandonedError;
  EXPECT_TRUE(abandoned);
}

TEST_P(RunEndBoundTest, ATargetThatNeverAnswers) {
  HostileTarget target(HostileTarget::Kind::kNeverAnswers);
  expect_bounded_run(target.url());
  const auto r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].error, kAbandonedError);
  EXPECT_EQ(r.failures[0].occurrences, 20u) << "each user's one request";
}

TEST_P(RunEndBoundTest, ATargetThatTricklesAByteASecond) {
  HostileTarget target(HostileTarget::Kind::kTrickles);
  expect_bounded_run(target.url());
  const auto r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].error, kAbandonedError);
}

// The request timeout is a deadline for the whole exchange, not an idle timeout: a response
// that keeps arriving, a byte every 200 ms, still fails at 1 s.
TEST_P(RunEndBoundTest, TheRequestTimeoutIsADeadlineEvenForATricklingResponse) {
  HostileTarget target(HostileTarget::Kind::kTrickles, 200ms);
  auto s = scenario(R"({"stampede_scenario": 1, "name": "trickle", "user_classes": [
    {"name": "U", "tasks": [{"request": {"name": "get", "method": "GET", "path": "/"}}]}]})");
  RunConfig c = config(target.url(), 3, 2500ms);
  c.request_timeout = 1s;
  c.stop_timeout = 200ms;
  run(c, s);
  const auto r = results::read_result_folder(dir_ / "run");
  std::uint64_t timeouts = 0;
  for (const auto& f : r.failures)
    if (f.error == "request timeout") timeouts += f.occurrences;
  EXPECT_GE(timeouts, 3u) << "each user's first request, at least";
  // Most requests timed out (three users, one after another), a few were abandoned at the stop.
  const auto& latency = r.endpoints.at(0).latency;
  EXPECT_GE(latency.value_at_percentile(50.0), 950'000u) << "not before the timeout";
  EXPECT_LT(latency.value_at_percentile(50.0), 1'600'000u) << "and not held open by the bytes still arriving";
}

STAMPEDE_ON_EVERY_TRANSPORT(RunEndBoundTest);

}  // namespace
}  // namespace stampede::engine
