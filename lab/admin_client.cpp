#include "lab/admin_client.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include <curl/curl.h>

namespace stampede::lab {
namespace {

using nlohmann::json;

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

HttpReply perform(const std::string& url, bool post, std::chrono::milliseconds timeout,
                  const std::string& admin_token) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  if (!curl) {
    reply.error = "curl_easy_init failed";
    return reply;
  }
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // 127.0.0.1 only, never through a proxy
  curl_slist* headers = nullptr;
  if (!admin_token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + admin_token).c_str());
  if (post) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{}");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  } else {
    reply.error = error[0] ? error : curl_easy_strerror(rc);
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  return reply;
}

std::uint64_t uint_at(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  double v = j[key].get<double>();
  return v > 0 ? static_cast<std::uint64_t>(v) : 0;
}

double double_at(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return 0;
  return j[key].get<double>();
}

// shard -> the entry of stats["shard_queries"] for it.
std::map<int, json> shard_queries(const json& stats) {
  std::map<int, json> out;
  if (!stats.is_object() || !stats.contains("shard_queries") || !stats["shard_queries"].is_array()) return out;
  for (const json& s : stats["shard_queries"])
    if (s.is_object() && s.contains("shard") && s["shard"].is_number_integer()) out[s["shard"].get<int>()] = s;
  return out;
}

std::vector<std::uint64_t> uint_list(const json& j, const char* key) {
  std::vector<std::uint64_t> out;
  if (!j.contains(key) || !j[key].is_array()) return out;
  for (const json& v : j[key]) out.push_back(v.is_number() && v.get<double>() > 0 ? v.get<std::uint64_t>() : 0);
  return out;
}

}  // namespace

std::string make_admin_token() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw AdminError(std::string("cannot make an admin token: getrandom: ") + std::strerror(errno));
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) token += {kHex[b >> 4], kHex[b & 0xf]};
  return token;
}

HttpReply http_get(const std::string& url, std::chrono::milliseconds timeout, const std::string& admin_token) {
  return perform(url, false, timeout, admin_token);
}
HttpReply http_post(const std::string& url, std::chrono::milliseconds timeout, const std::string& admin_token) {
  return perform(url, true, timeout, admin_token);
}

json fetch_json(const std::string& url, std::chrono::milliseconds timeout) {
  HttpReply reply = http_get(url, timeout);
  if (reply.status == 0) throw AdminError("GET " + url + ": " + reply.error);
  if (reply.status != 200)
    throw AdminError("GET " + url + ": HTTP " + std::to_string(reply.status) + " " + reply.body.substr(0, 200));
  json doc = json::parse(reply.body, nullptr, false);
  if (doc.is_discarded()) throw AdminError("GET " + url + ": the answer is not JSON");
  return doc;
}

bool wait_for_health(const std::string& base_url, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (http_get(base_url + "/health", std::chrono::seconds(2)).status == 200) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void fill_server_report(results::ServerReport& report, const json& stats_before, const json& stats_after,
                        const json& status, const json& reshard) {
  if (status.contains("strategy") && status["strategy"].is_string()) report.strategy = status["strategy"];
  if (status.contains("store") && status["store"].is_string()) report.store = status["store"];
  const auto before = shard_queries(stats_before);
  const auto after = shard_queries(stats_after);
  report.shards.clear();
  if (status.contains("shards") && status["shards"].is_array()) {
    for (const json& s : status["shards"]) {
      if (!s.is_object() || !s.contains("shard") || !s["shard"].is_number_integer()) continue;
      results::ServerShard shard;
      shard.shard = s["shard"].get<int>();
      shard.up = !s.contains("up") || !s["up"].is_boolean() || s["up"].get<bool>();
      shard.result_rows = uint_at(s, "rows");
      if (auto a = after.find(shard.shard); a != after.end()) {
        auto b = before.find(shard.shard);
        const json empty = json::object();
        const json& earlier = b == before.end() ? empty : b->second;
        std::uint64_t q_after = uint_at(a->second, "queries"), q_before = uint_at(earlier, "queries");
        shard.queries = q_after >= q_before ? q_after - q_before : q_after;  // a restart resets counters
        double s_after = double_at(a->second, "seconds"), s_before = double_at(earlier, "seconds");
        shard.query_seconds = s_after >= s_before ? s_after - s_before : s_after;
      }
      report.shards.push_back(shard);
    }
  }
  std::sort(report.shards.begin(), report.shards.end(),
            [](const auto& a, const auto& b) { return a.shard < b.shard; });
  report.shard_count = static_cast<int>(uint_at(stats_after, "shard_count"));
  if (report.shard_count == 0) report.shard_count = static_cast<int>(report.shards.size());

  report.reshard.clear();
  if (reshard.is_object() && reshard.contains("estimates") && reshard["estimates"].is_array()) {
    for (const json& e : reshard["estimates"]) {
      if (!e.is_object() || !e.contains("strategy") || !e["strategy"].is_string()) continue;
      results::ReshardEstimate est;
      est.strategy = e["strategy"];
      est.from_shards = static_cast<int>(uint_at(e, "from_shards"));
      est.to_shards = static_cast<int>(uint_at(e, "to_shards"));
      est.rows = uint_at(e, "rows");
      est.moved = uint_at(e, "moved");
      if (e.contains("how") && e["how"].is_string()) est.how = e["how"];
      est.rows_before = uint_list(e, "rows_before");
      est.rows_after = uint_list(e, "rows_after");
      report.reshard.push_back(std::move(est));
    }
  }
}

results::ServerReport collect_server_report(const std::string& base_url, const std::string& admin_token,
                                            const json& stats_before, std::int64_t collected_unix_ms) {
  results::ServerReport report;
  report.collected_unix_ms = collected_unix_ms;
  report.source = base_url;
  json stats = fetch_json(base_url + "/admin/stats");
  json status = fetch_json(base_url + "/admin/shards/status");
  int shards = static_cast<int>(uint_at(stats, "shard_count"));
  json reshard = nullptr;
  HttpReply r = http_get(base_url + "/admin/reshard?to=" + std::to_string(shards + 1), std::chrono::seconds(120),
                         admin_token);
  if (r.status == 401 || r.status == 403)  // the lab's own token refused: a bug to see, not a missing estimate
    throw AdminError("GET " + base_url + "/admin/reshard: HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200));
  if (r.status == 200) {
    reshard = json::parse(r.body, nullptr, false);
    if (reshard.is_discarded()) reshard = nullptr;
  }
  fill_server_report(report, stats_before, stats, status, reshard);
  if (!stats_before.is_null()) report.documents["/admin/stats (before)"] = stats_before;
  report.documents["/admin/stats"] = stats;
  report.documents["/admin/shards/status"] = status;
  if (!reshard.is_null()) report.documents["/admin/reshard?to=" + std::to_string(shards + 1)] = reshard;
  return report;
}

}  // namespace stampede::lab
