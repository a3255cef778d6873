// Hand-built lab runs (hash and range over 4 shards, the coupon scenario's endpoint names)
// with round numbers, so the comparison's shares, ratios and scores can be computed by hand:
//
//   endpoint (requests, latency)            hash: per-shard counts     range: per-shard counts
//   POST grab [Hot Room]   400              100,100,100,100             400,0,0,0
//   POST grab [Random]     600              150 each                    150 each
//   GET user coupons       200  hash 1 ms / range 4 ms   50 each (single)   200 each (fan-out to 4)
//   GET room orders        100  hash 5 ms / range 1.3 ms 100 each (fan-out) 25 each (single)
//
// Writes: hash 250 per shard (25%, balance 100); range 550,150,150,150 (55% on shard 0,
// CV = sqrt(30000)/250 = 0.6928, balance 30.72). server.json rows: hash 1000 each, range
// 2500,500,500,500.
#pragma once

#include <string>

#include "reporters/comparison.h"

namespace stampede::reporters::testing {

struct LabRunOptions {
  bool with_server = true;         // attach a server.json (rows + reshard estimates)
  bool swap_query_latency = false; // hash gets range's query latencies and vice versa
  bool hash_hot = false;           // the hash run sends all Hot Room writes to shard 1
  std::string extra_endpoint = ""; // a GET endpoint present only in this run ("" = none)
};

results::RunResult make_lab_run(const std::string& strategy, const LabRunOptions& options = {});

// {hash, range} as ComparedRuns labelled by default_run_label.
std::vector<ComparedRun> make_lab_pair(const LabRunOptions& hash = {}, const LabRunOptions& range = {});

}  // namespace stampede::reporters::testing
