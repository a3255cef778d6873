// lab.json: what a lab was asked to do (its variants with their server command lines, the
// flags every variant shares, the load, the store) and what happened to each variant. Written
// when the lab starts ("running") and rewritten at its end; docs/lab.md shows an example.
// Keeps the keys of the first labs (`strategies`, each run's `strategy`) beside the new ones.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lab/lab_config.h"
#include "lab/variant_server.h"

namespace stampede::lab {

// What happened to one variant, for lab.json and the exit code.
struct VariantOutcome {
  std::string name;
  std::string status = "skipped";  // measured | interrupted | failed | skipped
  std::string error;
  std::filesystem::path folder;
  std::filesystem::path server_log;
  std::string server_url;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  double failure_pct() const {
    return requests == 0 ? 0.0 : 100.0 * static_cast<double>(failures) / static_cast<double>(requests);
  }
};

struct LabRecord {
  std::string status;  // running | complete | interrupted | failed
  std::int64_t started_unix_ms = 0;
  std::optional<std::int64_t> ended_unix_ms;
  const std::vector<VariantOutcome>& outcomes;         // one per variant, in order
  const std::vector<VariantServerSetup>& setups;       // the same
  const std::vector<std::vector<std::string>>& commands;  // each variant's server command line
};

// The document; `dir` is the lab folder (paths in it are relative to it). Pure.
nlohmann::json lab_json(const LabConfig& config, const std::filesystem::path& dir,
                        const std::filesystem::path& server_bin, const LabRecord& record);

}  // namespace stampede::lab
