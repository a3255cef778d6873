#include "gui/model/live_run_follower.h"

#include <QDir>
#include <QFile>
#include <exception>
#include <nlohmann/json.hpp>

#include "results/result_folder.h"

namespace stampede::gui {

LiveRunFollower::LiveRunFollower(QString dir, QObject* parent)
    : QObject(parent), dir_(std::move(dir)) {
  connect(&watcher_, &QFileSystemWatcher::fileChanged, this, &LiveRunFollower::poll);
  connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &LiveRunFollower::poll);
  connect(&timer_, &QTimer::timeout, this, &LiveRunFollower::poll);
}

void LiveRunFollower::start(int poll_ms) {
  following_ = true;
  timer_.start(poll_ms);
  watchFiles();
  poll();
}

void LiveRunFollower::stop() {
  following_ = false;
  timer_.stop();
  if (!watcher_.files().isEmpty()) watcher_.removePaths(watcher_.files());
  if (!watcher_.directories().isEmpty()) watcher_.removePaths(watcher_.directories());
}

void LiveRunFollower::watchFiles() {
  // run.json is replaced by rename, which drops it from the watch: re-add every time.
  const QDir d(dir_);
  if (d.exists() && !watcher_.directories().contains(dir_)) watcher_.addPath(dir_);
  for (const char* name : {"history.jsonl", "run.json"}) {
    const QString f = d.filePath(QString::fromLatin1(name));
    if (QFile::exists(f) && !watcher_.files().contains(f)) watcher_.addPath(f);
  }
}

void LiveRunFollower::poll() {
  if (!following_) return;
  watchFiles();
  try {
    auto fresh = results::read_history_since(dir_.toStdString(), offset_);
    if (!fresh.empty()) {
      const int first = static_cast<int>(points_.size());
      for (auto& p : fresh) points_.append(std::move(p));
      emit pointsAppended(first, static_cast<int>(fresh.size()));
    }
    QFile run_json(QDir(dir_).filePath(QStringLiteral("run.json")));
    if (!run_json.exists()) return;  // the process has not written it yet
    if (!run_json.open(QIODevice::ReadOnly)) return;
    const QByteArray text = run_json.readAll();
    results::RunInfo info;
    try {
      info = results::run_info_from_json(
          nlohmann::json::parse(text.constData(), text.constData() + text.size()));
    } catch (const std::exception& e) {
      throw std::runtime_error(run_json.fileName().toStdString() + ": " + e.what());
    }
    const QString status = QString::fromStdString(info.status);
    if (status != status_) {
      status_ = status;
      emit statusChanged(status_);
    }
    if (status_ != QLatin1String("running")) {
      // The final lines were flushed before run.json changed: read them before stopping.
      auto tail = results::read_history_since(dir_.toStdString(), offset_);
      if (!tail.empty()) {
        const int first = static_cast<int>(points_.size());
        for (auto& p : tail) points_.append(std::move(p));
        emit pointsAppended(first, static_cast<int>(tail.size()));
      }
      stop();
      emit finished(status_);
    }
  } catch (const std::exception& e) {
    stop();
    emit errorOccurred(QString::fromStdString(e.what()));
  }
}

}  // namespace stampede::gui
