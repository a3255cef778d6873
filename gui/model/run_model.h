// RunModel: one result folder, read once, and the series the dashboard draws from it.
//
// Loading never throws: a missing, corrupt or newer-format folder gives ok() == false and a
// message naming the file and JSON path (from the results reader). Plain value type, no
// QObject; not thread-safe (build it on one thread, then share it read-only).
//
// Units: time series x = seconds since run start (end of each history interval); rates per
// second; latencies in ms.
#pragma once

#include <QList>
#include <QString>
#include <optional>
#include <vector>

#include "gui/model/series.h"
#include "results/run_result.h"

namespace stampede::gui {

class RunModel {
 public:
  RunModel() = default;
  // Reads `dir` with results::read_result_folder. On failure ok() is false and error() says why.
  static RunModel load(const QString& dir);
  // Wraps an already-read result (e.g. one being followed live).
  static RunModel from_result(const QString& dir, results::RunResult result);
  // This run with new history lines appended (results::append_history), for a run being
  // followed: nullopt when the run cannot grow that way (it did not read, it is no longer
  // "running", or its summary came from stats.json) and must be re-read instead.
  std::optional<RunModel> extended(std::vector<results::HistoryPoint> points) const;

  bool ok() const { return error_.isEmpty() && loaded_; }
  // run.json says "running" and its engine still runs, as far as this host can tell
  // (engine_process.h): the run is still being written.
  bool still_running() const { return ok() && result_.info.status == "running" && !engine_gone_; }
  // run.json says "running" but its engine died here before the end (killed, crashed).
  bool engine_gone() const { return engine_gone_; }
  const QString& error() const { return error_; }
  // What the reader could read past but a user should know (e.g. a cut-off history.jsonl).
  QStringList warnings() const;
  const QString& dir() const { return dir_; }
  const results::RunResult& result() const { return result_; }

  // Label, else the strategy (lab runs), else scenario name, else the folder name.
  QString display_name() const;
  // The lab's strategy (run.json lab.strategy) for a lab run, else "".
  QString strategy() const;
  // The lab the run belongs to: run.json lab.folder when recorded (what `stampede lab`
  // writes), else the parent folder's name when that parent holds lab.json, else "".
  QString lab() const;
  double duration_s() const;
  // info.users, except for a run that followed a load_shape (run.json load_shape):
  // the most users running in any history interval (older folders have the CLI default
  // in info.users; what ran is what the history says either way).
  int users() const;
  bool followed_load_shape() const;
  double requests_per_s() const;  // aggregate requests / duration
  double error_rate() const;      // aggregate failures / requests, 0..1
  // The run used the open model (--arrival-rate): run.json `open_model`, or service-time
  // histograms (which only the open model records) in a folder without that member (a run
  // still being written). Its latency is then from the intended start, and its service
  // time (service_histogram, service_series) from the actual send.
  bool open_model() const;

  // --- time series (one point per history line) ---------------------------------------
  SeriesData users_series() const;
  SeriesData rps_series() const;          // all endpoints: requests / interval_s
  SeriesData failures_series() const;     // all endpoints: failures / interval_s
  SeriesData dropped_series() const;      // open model, all endpoints: dropped arrivals / interval_s
  // Latency percentile per interval (ms); `endpoint_key` "" = all endpoints, else
  // endpoint_key(method, name). Intervals without requests have no point. In the open
  // model this is the latency from each request's intended start (docs/open-model.md).
  SeriesData latency_series(double percentile, const QString& endpoint_key = {}) const;
  // The same for the open model's service time (from the actual send), named "pNN service";
  // no points in a closed-model run (it records no service time: it equals the latency).
  SeriesData service_series(double percentile, const QString& endpoint_key = {}) const;
  // Where the run's stages change, in seconds since start: the stages its scenario's
  // load_shape declares when the run followed one (run.json load_shape), else the
  // seconds at which the user count starts or stops changing (the ramp up from 0 users at
  // the start, ramp-up done, a ramp down; not the stop at the end, when users drop to 0).
  QList<double> stage_marks() const;
  // Only the latter (from the history), whatever the scenario says.
  QList<double> user_change_marks() const;
  // A label per mark: N is the users at the last history point at or before the next mark
  // (the run's last point for the last mark). "→ N users" when the stage ramps there,
  // "N users" when it holds the users it starts with. "" for a mark the history does not reach.
  QStringList stage_labels(const QList<double>& marks) const;

  // --- distributions --------------------------------------------------------------------
  // The endpoint's whole-run latency histogram; the aggregate for "" or an unknown key.
  const results::Histogram& latency_histogram(const QString& endpoint_key = {}) const;
  // The open model's whole-run service-time histogram (empty in a closed-model run).
  const results::Histogram& service_histogram(const QString& endpoint_key = {}) const;
  QStringList endpoint_keys() const;  // in stats order

  static QString endpoint_key(const std::string& method, const std::string& name);

 private:
  SeriesData percentile_series(const QString& name, double percentile, const QString& key,
                               results::Histogram results::IntervalEndpoint::*hist) const;
  const results::EndpointStats& endpoint_stats(const QString& key) const;

  QString dir_;
  QString error_;
  bool loaded_ = false;
  bool summary_from_history_ = false;
  bool engine_gone_ = false;  // no stats.json when read: append_history applies
  results::RunResult result_;
};

}  // namespace stampede::gui
