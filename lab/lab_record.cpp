#include "lab/lab_record.h"

#include "lab/lab.h"

namespace stampede::lab {

nlohmann::json lab_json(const LabConfig& config, const std::filesystem::path& dir,
                        const std::filesystem::path& server_bin, const LabRecord& record) {
  using nlohmann::json;
  json runs = json::array(), variants = json::array(), strategies = json::array();
  for (std::size_t i = 0; i < record.outcomes.size(); ++i) {
    const VariantOutcome& o = record.outcomes[i];
    json r = {{"variant", o.name}, {"strategy", record.setups[i].strategy}, {"status", o.status}};
    if (o.status == "measured" || o.status == "interrupted") {
      r["folder"] = o.folder.filename().string();
      r["requests"] = o.requests;
      r["failures"] = o.failures;
    }
    if (!o.error.empty()) r["error"] = o.error;
    if (!o.server_log.empty()) r["server_log"] = std::filesystem::relative(o.server_log, dir).generic_string();
    if (!o.server_url.empty()) r["server_url"] = o.server_url;
    runs.push_back(r);
    variants.push_back({{"name", o.name},
                        {"flags", config.variants[i].flags_text},
                        {"strategy", record.setups[i].strategy},
                        {"server_command", record.commands[i]}});
    strategies.push_back(record.setups[i].strategy);
  }
  json doc = {{"stampede_lab", 1},
              {"name", dir.filename().string()},
              {"status", record.status},
              {"started_unix_ms", record.started_unix_ms},
              {"variants", variants},
              {"server_flags", config.server_flags},
              {"strategies", strategies},
              {"users", config.users},
              {"spawn_rate", config.spawn_rate},
              {"run_time_s", std::chrono::duration<double>(config.run_time).count()},
              {"warmup_s", std::chrono::duration<double>(config.warmup).count()},
              {"store", config.store},
              {"shards", config.shards},
              {"scenario_file", config.scenario_file.string()},
              {"seed", config.seed},
              {"data_set", {{"seed", config.seed}, {"users", kLabDataSetUsers}}},
              {"threads", config.threads},
              {"server_bin", server_bin.string()},
              {"max_failure_pct", kLabMaxFailurePct},
              {"command_line", config.command_line},
              {"runs", runs}};
  if (config.arrival_rate > 0)
    doc["open_model"] = {{"arrival_rate", config.arrival_rate},
                         {"max_users", config.max_users},
                         {"arrivals", config.arrivals == engine::RunConfig::Arrivals::kPoisson ? "poisson" : "even"}};
  if (record.ended_unix_ms) doc["ended_unix_ms"] = *record.ended_unix_ms;
  return doc;
}

}  // namespace stampede::lab
