// What every virtual user of one worker thread shares: the transport context (event loop,
// libcurl multi, request defaults), the recorder, the count of running users. Lives on
// (and is only touched from) its worker's thread, but for running_users.
#pragma once

#include <atomic>

#include "generator/engine/stats_recorder.h"
#include "generator/http/transport_context.h"

namespace stampede::engine {

struct WorkerContext {
  http::TransportContext& transport;
  StatsRecorder& recorder;
  // Users started and not yet done. Written by the worker thread on user start/finish
  // (not per request), read by the control thread.
  std::atomic<int> running_users{0};
};

}  // namespace stampede::engine
