// ExchangeTableModel: how one run's requests travelled, per endpoint (results::ExchangeStats,
// results/README.md "exchange figures"): the requests that opened a connection with the
// median and 95 %ile of their TCP connect, TLS handshakes (resumed) and their 95 %ile, the
// time to first byte's median, 95 and 99 %ile, Server-Timing cache hits, misses and hit
// ratio, and which servers answered (Server-Timing srv-<i>). One row per (method, name),
// then "Aggregated", pinned last.
//
// A run without these figures (an older engine) has hasFigures() false: the Endpoints page
// then hides its tab. A cell with nothing to measure (no connection opened, no TLS, no
// cache entry) has no value: "—" on screen, an invalid QVariant on Qt::UserRole (sorted
// first). Qt::DisplayRole gives formatted text, Qt::UserRole the raw number (ms, counts, a
// 0..1 ratio). Sorting needs no proxy (RunTableModel).
#pragma once

#include "gui/model/run_table_model.h"

namespace stampede::gui {

class ExchangeTableModel : public RunTableModel<results::EndpointStats> {
  Q_OBJECT
 public:
  enum Column { Type, Name, Requests, NewConnections, ConnectMedian, ConnectP95, TlsHandshakes, TlsResumed, TlsP95,
                TtfbMedian, TtfbP95, TtfbP99, CacheHits, CacheMisses, CacheHitRatio, Servers, ColumnCount };

  explicit ExchangeTableModel(QObject* parent = nullptr);
  // RunTableModel::setRun, after taking the whole run's figures (the aggregate's, or the
  // endpoints' merged when the aggregate has none: a run still being written).
  void setRun(std::shared_ptr<const RunModel> run);

  // The run recorded some exchange figure (an endpoint's or the aggregate's).
  bool hasFigures() const;
  // The run did TLS handshakes / got Server-Timing cache entries: the view hides the TLS
  // (TlsHandshakes … TlsP95) and cache (CacheHits … CacheHitRatio) columns otherwise, and
  // Servers when no response named one.
  bool hasTls() const;
  bool hasCache() const;
  bool hasServers() const;

  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<const results::EndpointStats*> file_rows(const RunModel& run) const override;
  QVariant value(const results::EndpointStats& e, int column) const override;
  // The row's figures (the aggregate row's: whole_run_).
  const results::ExchangeStats& figures(const results::EndpointStats& e) const;
  results::ExchangeStats whole_run_;
};

}  // namespace stampede::gui
