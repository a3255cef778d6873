// Test helper: ResultKeyCounts summed per key (a key may appear once per shard).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "reference-server/store.h"

namespace stampede::server::testing {

using KeyRows = std::map<std::int64_t, std::int64_t>;

inline KeyRows sum_by_key(const std::vector<KeyCount>& counts) {
  KeyRows out;
  for (const auto& kc : counts) out[kc.key] += kc.rows;
  return out;
}

}  // namespace stampede::server::testing
