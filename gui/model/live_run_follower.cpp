#include "gui/model/live_run_follower.h"

#include <QDir>
#include <QFile>
#include <exception>
#include <nlohmann/json.hpp>

#include "gui/model/engine_process.h"
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

std::optional<results::RunInfo> LiveRunFollower::read_info(const QString& run_json) {
  QFile file(run_json);
  if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
  const QByteArray text = file.readAll();
  try {
    return results::run_info_from_json(nlohmann::json::parse(text.constData(), text.constData() + text.size()));
  } catch (const std::exception& e) {
    throw std::runtime_error(run_json.toStdString() + ": " + e.what());
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
    const QString run_json = QDir(dir_).filePath(QStringLiteral("run.json"));
    if (!QFile::exists(run_json)) return;  // the process has not written it yet
    std::optional<results::RunInfo> info = read_info(run_json);
    if (!info) return;
    QString status = QString::fromStdString(info->status);
    if (engine_gone(*info)) {
      // The engine writes its final run.json before it exits: read it once more.
      info = read_info(run_json);
      if (!info) return;
      status = QString::fromStdString(info->status);
      if (engine_gone(*info)) status = QStringLiteral("engine gone");
    }
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
