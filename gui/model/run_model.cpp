#include "gui/model/run_model.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <exception>
#include <limits>

#include "gui/model/engine_process.h"
#include "gui/model/result_folders.h"
#include "gui/model/stage_marks.h"
#include "results/result_folder.h"

namespace stampede::gui {

RunModel RunModel::load(const QString& dir) {
  RunModel m;
  m.dir_ = dir;
  try {
    m.result_ = results::read_result_folder(dir.toStdString());
    m.loaded_ = true;
    // Looked for after the read: if stats.json appeared meanwhile, the summary may be
    // either, and the run is re-read rather than extended.
    m.summary_from_history_ = !QFileInfo::exists(dir + QStringLiteral("/stats.json"));
    m.engine_gone_ = gui::engine_gone(m.result_.info);
    if (m.engine_gone_) {
      m.result_.warnings.push_back(
          (dir + QStringLiteral("/run.json")).toStdString() + ": says running, but its engine (pid " +
          std::to_string(m.result_.info.pid.value_or(0)) + ") no longer runs on this host: it was killed or crashed " +
          "before writing stats.json; what it measured until then is shown");
    }
  } catch (const std::exception& e) {
    m.error_ = QString::fromStdString(e.what());
  }
  return m;
}

RunModel RunModel::from_result(const QString& dir, results::RunResult result) {
  RunModel m;
  m.dir_ = dir;
  m.result_ = std::move(result);
  m.loaded_ = true;
  return m;
}

std::optional<RunModel> RunModel::extended(std::vector<results::HistoryPoint> points) const {
  if (!still_running() || !summary_from_history_) return std::nullopt;
  RunModel m = *this;
  results::append_history(m.result_, std::move(points));
  return m;
}

QStringList RunModel::warnings() const {
  QStringList list;
  for (const std::string& w : result_.warnings) list.append(QString::fromStdString(w));
  return list;
}

QString RunModel::display_name() const {
  const auto& info = result_.info;
  if (!info.label.empty()) return QString::fromStdString(info.label);
  if (const QString s = strategy(); !s.isEmpty()) return s;
  if (!info.scenario_name.empty()) return QString::fromStdString(info.scenario_name);
  return QFileInfo(QDir::cleanPath(dir_)).fileName();
}

QString RunModel::strategy() const {
  const auto& lab = result_.info.lab;
  return lab ? QString::fromStdString(lab->strategy) : QString();
}

QString RunModel::lab() const {
  const auto& lab = result_.info.lab;
  if (lab && !lab->folder.empty()) return QString::fromStdString(lab->folder);
  return lab_of_folder(dir_);
}

double RunModel::duration_s() const {
  if (result_.info.duration_s > 0) return result_.info.duration_s;
  return result_.history.empty() ? 0.0 : result_.history.back().elapsed_s;
}

double RunModel::requests_per_s() const {
  const double d = duration_s();
  return d > 0 ? static_cast<double>(result_.aggregated.requests) / d : 0.0;
}

double RunModel::error_rate() const {
  const auto& a = result_.aggregated;
  return a.requests > 0 ? static_cast<double>(a.failures) / static_cast<double>(a.requests) : 0.0;
}

SeriesData RunModel::users_series() const {
  SeriesData s{QStringLiteral("users"), {}};
  for (const auto& p : result_.history) s.points.append({p.elapsed_s, static_cast<double>(p.users)});
  return s;
}

namespace {
double per_second(std::uint64_t n, double interval_s) {
  return interval_s > 0 ? static_cast<double>(n) / interval_s : 0.0;
}

// One point per history line: `count` summed over its endpoints, per second of the interval.
SeriesData rate_series(const QString& name, const std::vector<results::HistoryPoint>& history,
                       std::uint64_t results::IntervalEndpoint::*count) {
  SeriesData s{name, {}};
  for (const auto& p : history) {
    std::uint64_t n = 0;
    for (const auto& e : p.endpoints) n += e.*count;
    s.points.append({p.elapsed_s, per_second(n, p.interval_s)});
  }
  return s;
}

// Where a finished run's closing lines start: they count 0 users because the users were
// stopped (the engine may write a periodic line just after the stop, then the final one).
// The history's size for a running run or one that ends with users.
std::size_t first_stopped_line(const results::RunResult& r) {
  const auto& h = r.history;
  std::size_t lines = h.size();
  if (r.info.status == "running") return lines;
  while (lines >= 2 && h[lines - 1].users == 0) --lines;
  return lines;
}
}  // namespace

SeriesData RunModel::rps_series() const {
  return rate_series(QStringLiteral("req/s"), result_.history, &results::IntervalEndpoint::requests);
}

SeriesData RunModel::failures_series() const {
  return rate_series(QStringLiteral("failures/s"), result_.history, &results::IntervalEndpoint::failures);
}

SeriesData RunModel::dropped_series() const {
  return rate_series(QStringLiteral("dropped/s"), result_.history, &results::IntervalEndpoint::dropped);
}

SeriesData RunModel::latency_series(double percentile, const QString& key) const {
  return percentile_series(QStringLiteral("p%1").arg(percentile), percentile, key, &results::IntervalEndpoint::latency);
}

SeriesData RunModel::service_series(double percentile, const QString& key) const {
  return percentile_series(QStringLiteral("p%1 service").arg(percentile), percentile, key,
                           &results::IntervalEndpoint::service);
}

SeriesData RunModel::percentile_series(const QString& name, double percentile, const QString& key,
                                       results::Histogram results::IntervalEndpoint::*hist) const {
  SeriesData s{name, {}};
  for (const auto& p : result_.history) {
    results::Histogram h;
    for (const auto& e : p.endpoints) {
      if (key.isEmpty() || endpoint_key(e.method, e.name) == key) h.merge(e.*hist);
    }
    if (h.empty()) continue;
    s.points.append({p.elapsed_s, us_to_ms(h.value_at_percentile(percentile))});
  }
  return s;
}

bool RunModel::followed_load_shape() const { return result_.info.load_shape; }

int RunModel::users() const {
  if (!followed_load_shape()) return result_.info.users;
  int peak = 0;
  for (const auto& p : result_.history) peak = std::max(peak, p.users);
  return peak;
}

QList<double> RunModel::stage_marks() const {
  if (followed_load_shape()) {
    // duration_s is the run's length; a live run without it uses its last history line.
    const QList<double> declared = declared_stage_starts(result_.scenario, duration_s());
    if (!declared.isEmpty()) return declared;
  }
  return user_change_marks();
}

QStringList RunModel::stage_labels(const QList<double>& marks) const {
  QStringList labels;
  const auto& h = result_.history;
  const std::size_t stopped = first_stopped_line(result_);
  for (qsizetype i = 0; i < marks.size(); ++i) {
    const double until = i + 1 < marks.size() ? marks[i + 1] : std::numeric_limits<double>::infinity();
    const results::HistoryPoint* last = nullptr;
    for (const auto& p : h) {
      if (p.elapsed_s > until + 1e-9) break;
      // A finished run's closing lines count 0 users (they were stopped): not what a stage
      // held. A mark right before them is a ramp down, and does go to 0.
      if (static_cast<std::size_t>(&p - h.data()) >= stopped && last && last->elapsed_s > marks[i] + 1e-9) break;
      last = &p;
    }
    if (!last || last->elapsed_s + 1e-9 < marks[i]) {
      labels.append(QString());
      continue;
    }
    // Where the users stand at the mark: the stage ramps ("→ 8 users") or holds ("8 users").
    const results::HistoryPoint* at = nullptr;
    for (const auto& p : h) {
      if (p.elapsed_s > marks[i] + 1e-9) break;
      at = &p;
    }
    const bool holds = at && at != last && at->users == last->users;
    labels.append((holds ? QStringLiteral("%1 users") : QStringLiteral("→ %1 users")).arg(last->users));
  }
  return labels;
}

QList<double> RunModel::user_change_marks() const {
  QList<double> marks;
  const auto& h = result_.history;
  if (h.empty()) return marks;
  // The run starts with no users, an interval before its first line (0 s) ...
  int users = 0;
  double at = std::max(0.0, h.front().elapsed_s - h.front().interval_s);
  // ... and a finished run's closing lines are its end, not a ramp down.
  const std::size_t lines = first_stopped_line(result_);
  bool was_changing = false;
  for (std::size_t i = 0; i < lines; ++i) {
    const bool changing = h[i].users != users;
    if (changing != was_changing) marks.append(at);
    was_changing = changing;
    users = h[i].users;
    at = h[i].elapsed_s;
  }
  return marks;
}

const results::EndpointStats& RunModel::endpoint_stats(const QString& key) const {
  for (const auto& e : result_.endpoints) {
    if (endpoint_key(e.method, e.name) == key) return e;
  }
  return result_.aggregated;
}

const results::Histogram& RunModel::latency_histogram(const QString& key) const { return endpoint_stats(key).latency; }

const results::Histogram& RunModel::service_histogram(const QString& key) const { return endpoint_stats(key).service; }

bool RunModel::open_model() const {
  if (result_.info.open_model || !result_.aggregated.service.empty()) return true;
  for (const auto& p : result_.history) {
    for (const auto& e : p.endpoints) {
      if (!e.service.empty()) return true;
    }
  }
  return false;
}

QStringList RunModel::endpoint_keys() const {
  QStringList keys;
  for (const auto& e : result_.endpoints) keys.append(endpoint_key(e.method, e.name));
  return keys;
}

QString RunModel::endpoint_key(const std::string& method, const std::string& name) {
  return QString::fromStdString(method) + QLatin1Char(' ') + QString::fromStdString(name);
}

}  // namespace stampede::gui
