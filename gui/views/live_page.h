// LivePage: follows a run while it is written, and can start one. The form builds
//   <stampede> run -f <scenario> -H <host> -u <users> -r <spawn rate> -t <run time> --out <dir>
// and launches it with QProcess (the GUI never links the engine); the new folder is then
// followed with LiveRunFollower and drawn by RunCharts, built once per followed folder: new
// history lines replace the series' points, so hidden series stay hidden and a zoomed
// chart keeps its range (the axes refit only while not zoomed). Until a run is followed
// the charts say how to start one.
#pragma once

#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QWidget>
#include <memory>

#include "gui/model/live_run_follower.h"
#include "gui/views/run_charts.h"

namespace stampede::gui {

class LivePage : public QWidget {
  Q_OBJECT
 public:
  explicit LivePage(QWidget* parent = nullptr);
  ~LivePage() override;

  // Follows `dir` (a run being written, or a finished one: it is drawn and following stops).
  void follow(const QString& dir);
  // Fills the form and starts the run, as the Start button does. Returns the result folder.
  QString startRun(const QString& program, const QString& scenario, const QString& host, int users,
                   double spawn_rate, const QString& run_time, const QString& out_root);
  // The argument list (after the program) that Start would launch with `out_dir`.
  QStringList runArguments(const QString& out_dir) const;
  // What Stop does: SIGINT to the run started here, so the engine still writes stats.json
  // and run.json says "interrupted".
  void stopRun();
  // Whether a run started here is still going.
  bool running() const;
  // For quitting: stops the run started here (SIGINT, then a second one) and waits until the
  // engine has written its result folder, so it does not stay "running" forever.
  void stopAndWait();
  QList<ChartView*> charts() const { return charts_->charts(); }
  QString statusText() const { return status_->text(); }
  LiveRunFollower* follower() const { return follower_.get(); }

 signals:
  void runStarted(const QString& dir);
  void runFinished(const QString& dir);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  QString startRun();
  // Draws the followed points; behind another tab it only notes that it has to (showEvent).
  void redraw();

  QLineEdit* program_;
  QLineEdit* scenario_;
  QLineEdit* host_;
  QSpinBox* users_;
  QDoubleSpinBox* spawn_rate_;
  QLineEdit* run_time_;
  QLineEdit* out_root_;
  QPushButton* start_;
  QPushButton* stop_;
  QLabel* status_;
  QPlainTextEdit* log_;
  RunCharts* charts_;
  QProcess* process_ = nullptr;
  bool stale_ = false;  // points arrived while the page was behind another tab
  QStringList first_output_;  // the engine's first lines of output, for a run that ends at once
  std::unique_ptr<LiveRunFollower> follower_;
};

}  // namespace stampede::gui
