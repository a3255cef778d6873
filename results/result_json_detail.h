// Internal: the from_json readers with a base JSON Pointer, so that errors inside arrays
// name the element ("/endpoints/3/requests"). The public *_from_json in result_folder.h
// are these with the root path. Not part of the contract.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "results/run_result.h"

namespace stampede::results {
class JsonFields;
}

namespace stampede::results::detail {

// The derived millisecond figures beside a histogram ("latency", "service", ...).
nlohmann::json latency_summary(const Histogram& h);

// ExchangeStats' members of an endpoint row or history slice (exchange_json.cpp): added to
// `row` when not zero/empty, with their derived summaries when `summaries` (stats.json);
// read back, absent members as zero/empty. Throws naming the JSON path of a bad member.
void add_exchange_json(nlohmann::json& row, const ExchangeStats& x, bool summaries);
ExchangeStats exchange_from_json(const JsonFields& f);

EndpointStats endpoint_from_json_at(const nlohmann::json& j, const std::string& path);
ShardStats shard_from_json_at(const nlohmann::json& j, const std::string& path);
FailureStats failure_from_json_at(const nlohmann::json& j, const std::string& path);
HistoryPoint history_point_from_json_at(const nlohmann::json& j, const std::string& path);

}  // namespace stampede::results::detail
