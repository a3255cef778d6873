// ComparePage: two or more runs overlaid (the first is the baseline) — req/s and p95 over
// time, the aggregate percentile curves, and the diff table with ratios.
#pragma once

#include <QLabel>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/compare_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

class ComparePage : public QWidget {
  Q_OBJECT
 public:
  explicit ComparePage(QWidget* parent = nullptr);
  void setRuns(QList<std::shared_ptr<const RunModel>> runs);
  QList<ChartView*> charts() const { return {rps_, p95_, percentiles_}; }
  CompareModel* model() const { return model_; }

 private:
  CompareModel* model_;
  QLabel* note_;
  QTableView* table_;
  ChartView* rps_;
  ChartView* p95_;
  ChartView* percentiles_;
};

}  // namespace stampede::gui
