// What every virtual user of one worker thread shares: the transport, the recorder, the
// request defaults. Lives on (and is only touched from) its worker's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "generator/curl_transport.h"
#include "generator/stats_recorder.h"

namespace boost::asio {
class io_context;
}

namespace stampede::generator {

struct RequestDefaults {
  std::string base_url;  // scheme://host[:port] with no trailing slash
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};  // when the scenario sets none
  // false: every user its own keep-alive connection; true: the users of a transport lane
  // (CurlTransport::kSharedHandlesPerLane) share idle connections.
  bool shared_connections = false;
};

struct WorkerContext {
  boost::asio::io_context& io;
  CurlTransport& transport;
  StatsRecorder& recorder;
  const RequestDefaults& defaults;
  // Users started and not yet done. Written by the worker thread on user start/finish
  // (not per request), read by the control thread.
  std::atomic<int> running_users{0};
};

}  // namespace stampede::generator
