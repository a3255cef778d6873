// gui_tests' main: a QApplication on the offscreen platform, so models (signals, timers,
// file watchers) and views (real rendering with QChartView::grab) run headless.
#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cstdlib>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  setenv("QT_QPA_PLATFORM", "offscreen", 0);
  // Qt warns when XDG_RUNTIME_DIR is unset or not 0700; give it a private one.
  QTemporaryDir runtime_dir(QDir::tempPath() + QStringLiteral("/stampede-gui-tests-XXXXXX"));
  QFile::setPermissions(runtime_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  setenv("XDG_RUNTIME_DIR", runtime_dir.path().toLocal8Bit().constData(), 1);
  // ... and keep the views' QSettings (recent folders, layout) out of the real config.
  setenv("XDG_CONFIG_HOME", runtime_dir.path().toLocal8Bit().constData(), 1);
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // QSettings of the views go to a test location
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
