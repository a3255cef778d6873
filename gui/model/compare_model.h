// CompareModel: two or more runs side by side (e.g. hash vs range). The first run is the
// baseline. Provides one series per run for each time metric (aligned on seconds since each
// run's start) and the aggregate percentile curves, and is the diff table:
//   rows = metrics: the core rows (requests, req/s, failures, error rate, p50/p90/p95/p99/max,
//          average) always; then the optional rows, each only when at least one run has a
//          value for it: answers HTTP 429 (rate limited; not failures) and their share of
//          the requests, skipped requests/tasks and invalid cookies (a count is a value when
//          it is not 0: the format writes them only then, so another run shows 0), dropped
//          arrivals and the service time's p50/p95/p99 (open model;
//          the latency rows then say "latency", from the intended start), the p95 of TCP
//          connect and of TLS handshakes of new connections, the time to first byte's p95
//          and the Server-Timing cache hit ratio, the servers that answered (Server-Timing
//          srv-<i>) and the balance score of their answer counts (results::ExchangeStats).
//          A run without the
//          figure shows "—" in a row that is shown; a row no run has a value for is left
//          out, and omittedRows() says which and why (the page shows it under the table), so
//          nothing is hidden silently and no row is all "—".
//   columns = Metric, then per run its value, and for every run after the first the ratio
//   run / baseline ("—" when the baseline is 0).
// Runs that failed to load are skipped (their errors are in skippedErrors()).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <algorithm>
#include <memory>

#include "gui/model/run_model.h"

namespace stampede::gui {

class CompareModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum class Metric { Users, Rps, FailuresPerS, P50, P95, P99 };
  enum Row { Requests, RequestsPerS, Failures, ErrorRate, P50, P90, P95, P99, Max, Average,
             RateLimited, RateLimitedRatio, Skipped, InvalidCookies,
             Dropped, ServiceP50, ServiceP95, ServiceP99, ConnectP95, TlsP95, TtfbP95, CacheHitRatio,
             Servers, ServerBalance, RowCount };
  static constexpr Row kFirstOptional = RateLimited;
  // The rows shown, in order: Requests … Average, then the optional rows in enum order that
  // at least one run has a value for. Row r of the table is metricRows()[r].
  const QList<Row>& metricRows() const { return rows_; }
  bool anyOpenModel() const { return rows_.contains(Dropped); }
  bool anyExchange() const {
    return std::any_of(rows_.begin(), rows_.end(), [](Row r) { return r >= ConnectP95 && r <= CacheHitRatio; });
  }
  // The optional rows left out (no run has a value), one line per reason, in row order:
  // "p95 TLS (ms): no run made a TLS handshake (https)". Empty when nothing is left out or
  // there are no runs.
  QStringList omittedRows() const;
  const QList<Row>& omitted() const { return omitted_; }
  // Why a run can have no value in an optional row (also the reason it is left out).
  static QString absentReason(Row row);
  // The row's label as the Metric column shows it (latency rows depend on anyOpenModel()).
  QString rowLabel(Row row) const;

  explicit CompareModel(QObject* parent = nullptr);

  void setRuns(QList<std::shared_ptr<const RunModel>> runs);
  const QList<std::shared_ptr<const RunModel>>& runs() const { return runs_; }
  const QStringList& skippedErrors() const { return skipped_; }
  // One name per run, for legends and headers: display_name(), made unique when two runs
  // share it (" [strategy]" appended to each, then " (2)", " (3)" ... if still equal).
  const QStringList& names() const { return names_; }

  // One series per run, named by names().
  QList<SeriesData> series(Metric metric) const;
  QList<SeriesData> percentileCurves() const;
  // The metric value of `row` (a Row) for run `run` (raw units: count, /s, 0..1, ms); NaN
  // for an open-model row of a closed-model run, and for an exchange row of a run without
  // that figure.
  double value(int row, int run) const;
  // The run has the figure of optional row `row` (see the class comment).
  bool hasValue(int row, int run) const;
  // value(row, run) / value(row, 0); NaN when the baseline is 0.
  double ratio(int row, int run) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  // Column c > 0 maps to (run, is_ratio).
  std::pair<int, bool> columnRun(int column) const;

  QList<std::shared_ptr<const RunModel>> runs_;
  QStringList skipped_;
  QStringList names_;
  QList<Row> rows_;
  QList<Row> omitted_;  // optional rows no run has a value for
};

}  // namespace stampede::gui
