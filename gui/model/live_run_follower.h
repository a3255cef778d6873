// LiveRunFollower: follows a result folder that is still being written. It watches
// history.jsonl and run.json (QFileSystemWatcher, plus a poll timer because the watcher
// misses files created later and some file systems), reads new complete history lines
// with results::read_history_since and emits them; it reports run.json status changes and
// stops by itself once the status is no longer "running", or once the engine that wrote
// it is gone (engine_process.h: status "engine gone").
//
// Errors (a malformed line, an unreadable run.json) are emitted as errorOccurred(message)
// and following stops; nothing throws. GUI thread only.
#pragma once

#include <QFileSystemWatcher>
#include <QList>
#include <QObject>
#include <QTimer>
#include <cstdint>
#include <optional>

#include "results/run_result.h"

namespace stampede::gui {

class LiveRunFollower : public QObject {
  Q_OBJECT
 public:
  explicit LiveRunFollower(QString dir, QObject* parent = nullptr);

  // Reads everything already there, then follows. `poll_ms` is the fallback poll period.
  void start(int poll_ms = 500);
  void stop();
  bool isFollowing() const { return following_; }
  const QString& dir() const { return dir_; }
  const QString& status() const { return status_; }
  // Every point read so far, in order.
  const QList<results::HistoryPoint>& points() const { return points_; }

 public slots:
  // Reads what is new now (also called by the watcher and the timer).
  void poll();

 signals:
  void pointsAppended(int first, int count);  // indexes into points()
  void statusChanged(const QString& status);  // "running", "complete", ...
  void finished(const QString& status);       // status left "running"; following stopped
  void errorOccurred(const QString& message);

 private:
  void watchFiles();
  // run.json's RunInfo; nullopt when it cannot be opened (being replaced). Throws with the
  // file name when it does not parse.
  static std::optional<results::RunInfo> read_info(const QString& run_json);

  QString dir_;
  QString status_;
  std::uintmax_t offset_ = 0;
  bool following_ = false;
  QList<results::HistoryPoint> points_;
  QFileSystemWatcher watcher_;
  QTimer timer_;
};

}  // namespace stampede::gui
