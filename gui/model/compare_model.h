// CompareModel: two or more runs side by side (e.g. hash vs range). The first run is the
// baseline. Provides one series per run for each time metric (aligned on seconds since each
// run's start) and the aggregate percentile curves, and is the diff table:
//   rows = metrics (requests, req/s, failures, error rate, p50/p90/p95/p99/max, average);
//          when a run used the open model, also dropped arrivals and the service time's
//          p50/p95/p99, and the latency rows say "latency" (from the intended start in an
//          open-model run); a closed-model run has "—" in those rows; when a run recorded
//          how its requests travelled (results::ExchangeStats), also the p95 of TCP connect
//          and TLS handshake of new connections, the time to first byte's p95 and the
//          Server-Timing cache hit ratio ("—" for a run without the figure)
//   columns = Metric, then per run its value, and for every run after the first the ratio
//   run / baseline ("—" when the baseline is 0).
// Runs that failed to load are skipped (their errors are in skippedErrors()).
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>

#include "gui/model/run_model.h"

namespace stampede::gui {

class CompareModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum class Metric { Users, Rps, FailuresPerS, P50, P95, P99 };
  enum Row { Requests, RequestsPerS, Failures, ErrorRate, P50, P90, P95, P99, Max, Average,
             Dropped, ServiceP50, ServiceP95, ServiceP99, ConnectP95, TlsP95, TtfbP95, CacheHitRatio, RowCount };
  // The rows shown, in order: Requests … Average, then Dropped … ServiceP99 when a run used
  // the open model, then ConnectP95 … CacheHitRatio when a run recorded exchange figures.
  // Row r of the table is metricRows()[r].
  const QList<Row>& metricRows() const { return rows_; }
  bool anyOpenModel() const { return rows_.contains(Dropped); }
  bool anyExchange() const { return rows_.contains(TtfbP95); }

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
};

}  // namespace stampede::gui
