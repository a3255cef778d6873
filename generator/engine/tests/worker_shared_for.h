// A WorkerShared for tests that drive workers directly (WorkerPool, the open model's
// driver): one user class "U" sending GET `path` to `base_url` over libcurl, pausing
// `wait_s` seconds between its tasks.
#pragma once

#include <memory>
#include <string>

#include "generator/engine/worker.h"
#include "generator/http/body_limits.h"
#include "scenarios/scenario.h"

namespace stampede::engine::testing {

inline std::shared_ptr<WorkerShared> shared_for(const std::string& base_url, const std::string& path,
                                                double wait_s) {
  scenarios::Scenario scenario = scenarios::Scenario::parse_text(
      R"({"stampede_scenario": 1, "name": "workers", "user_classes": [{"name": "U", "wait_time": {"constant": )" +
          std::to_string(wait_s) + R"(}, "tasks": [{"request": {"method": "GET", "path": ")" + path + R"("}}]}]})",
      "workers.json");
  http::RequestDefaults defaults;
  defaults.base_url = base_url;
  defaults.transport = http::TransportKind::kCurl;
  return std::make_shared<WorkerShared>(std::move(scenario), defaults, http::kDefaultMaxBodyBytes,
                                        http::kDefaultMaxBodyMemoryBytes);
}

}  // namespace stampede::engine::testing
