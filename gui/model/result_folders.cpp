#include "gui/model/result_folders.h"

#include <QDir>
#include <QFileInfo>

namespace stampede::gui {

namespace {
constexpr const char* kRunFile = "run.json";
constexpr const char* kLabFile = "lab.json";

QStringList sub_folders(const QString& dir) {
  const QDir d(dir);
  QStringList out;
  for (const QString& name : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) out.append(d.filePath(name));
  return out;
}
}  // namespace

bool is_run_folder(const QString& dir) {
  return QFileInfo(QDir(dir).filePath(QLatin1String(kRunFile))).isFile();
}

bool is_lab_folder(const QString& dir) {
  if (!QFileInfo(dir).isDir() || is_run_folder(dir)) return false;
  if (QFileInfo(QDir(dir).filePath(QLatin1String(kLabFile))).isFile()) return true;
  return !run_folders_in(dir).isEmpty();
}

QStringList run_folders_in(const QString& dir) {
  QStringList out;
  for (const QString& sub : sub_folders(dir)) {
    if (is_run_folder(sub)) out.append(sub);
  }
  return out;
}

QStringList lab_folders_in(const QString& root) {
  QStringList out;
  for (const QString& sub : sub_folders(root)) {
    if (is_lab_folder(sub)) out.append(sub);
  }
  return out;
}

QString lab_of_folder(const QString& run_dir) {
  const QFileInfo parent(QFileInfo(QDir::cleanPath(run_dir)).path());
  if (!QFileInfo(QDir(parent.filePath()).filePath(QLatin1String(kLabFile))).isFile()) return {};
  return parent.fileName();
}

}  // namespace stampede::gui
