// The lab's few calls to the reference server's /admin endpoints (libcurl easy, blocking,
// one request at a time; never on the load path) and the assembly of a run's server.json
// (results/server_report.h) from their documents.
//
// Errors: http_get/http_post never throw; a transport failure is status 0 with `error` set.
// fetch_json throws AdminError naming the URL and what was wrong. Thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "results/server_report.h"

namespace stampede::lab {

class AdminError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HttpReply {
  long status = 0;    // 0: no response (see error)
  std::string body;
  std::string error;  // curl's message when status is 0
};

// The environment variable stampede-server takes its admin token from. The lab passes its
// token this way rather than as --admin-token: a command line is visible to every local user.
inline constexpr const char* kServerAdminTokenEnv = "STAMPEDE_SERVER_ADMIN_TOKEN";

// A fresh admin token for a server the lab starts: 32 bytes from getrandom(2) as hex.
// Throws AdminError when the kernel gives no randomness.
std::string make_admin_token();

// With a non-empty `admin_token`, the request carries `Authorization: Bearer <token>`
// (what every /admin route but /admin/stats and /admin/shards/status requires). A POST
// sends `{}` as application/json, the only type the server's admin POSTs accept.
HttpReply http_get(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(30),
                   const std::string& admin_token = "");
HttpReply http_post(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(60),
                    const std::string& admin_token = "");

// GET url, expect 200 and a JSON body. Throws AdminError otherwise.
nlohmann::json fetch_json(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Polls GET base_url/health until it answers 200; false after `timeout`.
bool wait_for_health(const std::string& base_url, std::chrono::milliseconds timeout);

// server.json for a run: rows per shard from /admin/shards/status, store queries and query
// seconds per shard from /admin/stats minus `stats_before` (the same document taken just
// before the measured run, so they cover that run only; nullptr = since the server
// started), the resharding estimate from /admin/reshard?to=N+1 when the server has it (a
// 404 means no estimate; it needs `admin_token`). The raw documents go into `documents` keyed by path, with the
// earlier stats under "/admin/stats (before)". /admin/stats is read first: the other two
// calls query the shards themselves. Throws AdminError when stats or status can't be read.
results::ServerReport collect_server_report(const std::string& base_url, const std::string& admin_token,
                                            const nlohmann::json& stats_before, std::int64_t collected_unix_ms);

// The per-shard part of the above, pure (tested without a server): fills `shards` from the
// three documents. `reshard` may be null.
void fill_server_report(results::ServerReport& report, const nlohmann::json& stats_before,
                        const nlohmann::json& stats_after, const nlohmann::json& status,
                        const nlohmann::json& reshard);

}  // namespace stampede::lab
