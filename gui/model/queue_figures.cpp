#include "gui/model/queue_figures.h"

namespace stampede::gui {
namespace {

using nlohmann::json;

template <typename T>
T number_or(const json& object, const char* key, T fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<T>() : fallback;
}

std::optional<double> p95_of(const json& summary) {
  if (!summary.is_object() || number_or<quint64>(summary, "count", 0) == 0) return std::nullopt;
  const auto it = summary.find("p95_ms");
  return it != summary.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

}  // namespace

std::optional<QueueFigures> queue_figures(const results::ServerReport& report) {
  const auto stats = report.documents.find("/admin/stats");
  if (stats == report.documents.end() || !stats->is_object()) return std::nullopt;
  const auto queue = stats->find("queue");
  if (queue == stats->end() || !queue->is_object()) return std::nullopt;  // null on the sync path
  const json& q = *queue;
  QueueFigures f;
  f.published = number_or<quint64>(q, "published", 0);
  f.publish_failures = number_or<quint64>(q, "publish_failures", 0);
  f.acked = number_or<quint64>(q, "acked", 0);
  f.duplicates = number_or<quint64>(q, "duplicates", 0);
  f.depth = number_or<qint64>(q, "depth", 0);
  f.consumers = number_or<int>(q, "consumers", 0);
  if (const auto it = q.find("publish_ms"); it != q.end()) f.publish_p95_ms = p95_of(*it);
  if (const auto it = q.find("delay_ms"); it != q.end() && it->is_array()) {
    for (const json& s : *it) {
      if (!s.is_object() || !s.contains("shard") || !s["shard"].is_number_integer()) continue;
      const int shard = s["shard"].get<int>();
      if (shard < 0) continue;
      f.written[shard] = number_or<quint64>(s, "written", 0);
      if (const auto p95 = p95_of(s)) f.delay_p95_ms[shard] = *p95;
    }
  }
  return f;
}

}  // namespace stampede::gui
