// VirtualUser: one simulated user in the closed model. It loops: ask its scenario session
// for the next request, send it on its own curl easy handle, record what happened, wait the
// class's wait time, repeat — until stopped. Callback-driven on its worker's io_context (no
// coroutine frames, no locks); the whole loop allocates nothing in steady state beyond what
// libcurl does.
//
// Latency is measured from just before the request is handed to curl to the moment the
// response is complete (or the transfer failed), with std::chrono::steady_clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "generator/curl_transport.h"
#include "generator/server_timing.h"
#include "generator/worker_context.h"
#include "scenarios/user_session.h"

namespace stampede::generator {

class VirtualUser final : public TransferOwner {
 public:
  VirtualUser(WorkerContext& ctx, const scenarios::UserClass& user_class, std::uint64_t seed);
  ~VirtualUser();
  VirtualUser(const VirtualUser&) = delete;
  VirtualUser& operator=(const VirtualUser&) = delete;

  void start();
  // Graceful: no new request; a waiting user is done at once, one in flight when its
  // response arrives.
  void stop();
  // Immediate: an in-flight request is dropped and recorded as a failure
  // (kAbandonedError) with the time it had waited.
  void abandon();
  bool done() const { return state_ == State::kDone; }

  void on_transfer_done(CURLcode result) override;

 private:
  enum class State { kIdle, kInFlight, kWaiting, kDone };

  void begin_request();
  void finish();
  void set_headers();
  void set_target();
  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self);

  WorkerContext& ctx_;
  scenarios::UserSession session_;
  CURL* easy_;
  struct Timer;
  std::unique_ptr<Timer> timer_;
  State state_ = State::kIdle;
  bool stopping_ = false;

  scenarios::RequestRef ref_;
  scenarios::RenderedRequest request_;
  // The URL as a parsed CURLU handle (CURLOPT_CURLU): scheme, host and port are parsed once;
  // each request only replaces path and query. Saves curl 7.88 from parsing and then
  // re-printing the whole URL on every transfer (~10k instructions per request). Null if
  // the base URL did not parse; then url_ is handed over as CURLOPT_URL instead.
  CURLU* target_ = nullptr;
  std::string url_;
  std::string path_;
  std::string query_;
  std::vector<std::string> header_lines_;  // what headers_ was built from
  curl_slist* headers_ = nullptr;
  std::string response_body_;
  std::vector<ShardTiming> shard_timings_;
  std::chrono::steady_clock::time_point sent_at_;
  std::chrono::steady_clock::time_point task_started_;
  bool task_open_ = false;
};

// The failures-table error of a request still in flight when the run stopped for good
// (stop timeout passed, or a second Ctrl-C).
inline constexpr const char* kAbandonedError = "abandoned at stop (no response when the run ended)";

// A short, stable description of a transport failure, e.g. "connection refused",
// "request timeout", "connection reset". Used as the error of the failures table.
std::string describe_transfer_error(CURLcode code, long os_errno);

}  // namespace stampede::generator
