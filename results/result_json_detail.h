// Internal: the from_json readers with a base JSON Pointer, so that errors inside arrays
// name the element ("/endpoints/3/requests"). The public *_from_json in result_folder.h
// are these with the root path. Not part of the contract.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "results/run_result.h"

namespace stampede::results::detail {

EndpointStats endpoint_from_json_at(const nlohmann::json& j, const std::string& path);
ShardStats shard_from_json_at(const nlohmann::json& j, const std::string& path);
FailureStats failure_from_json_at(const nlohmann::json& j, const std::string& path);
HistoryPoint history_point_from_json_at(const nlohmann::json& j, const std::string& path);

}  // namespace stampede::results::detail
