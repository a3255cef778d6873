// stampede-gui [RESULT_FOLDER | LAB_FOLDER ...]: the dashboard. Lists the runs under
// results/runs and results/labs (when started from a checkout) and opens the folders given;
// several runs (or a lab's runs) are compared. The command line is parsed before the
// QApplication exists, so --help, --version and bad arguments need no display.
#include <QApplication>
#include <QDir>
#include <cstdio>
#include <cstdlib>

#include "gui/model/command_line.h"
#include "gui/views/main_window.h"

namespace {
bool has_display() {
  for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return true;
  }
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments.append(QString::fromLocal8Bit(argv[i]));
  const stampede::gui::CommandLine cl = stampede::gui::parse_command_line(arguments);
  if (cl.action != stampede::gui::CommandLine::Action::Open) {
    std::fputs(cl.text.toLocal8Bit().constData(), cl.exitCode() == 0 ? stdout : stderr);
    return cl.exitCode();
  }
  if (!has_display()) {
    // Qt would abort here ("could not connect to display"); say what to do instead.
    std::fputs("stampede-gui: no display (DISPLAY and WAYLAND_DISPLAY are unset); run it in a desktop "
               "session, or set QT_QPA_PLATFORM=offscreen to render without one\n", stderr);
    return 1;
  }

  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("stampede-gui"));
  stampede::gui::MainWindow window;
  // From a checkout (it has results/), its run folders are listed and rescanned even before
  // the first run creates them.
  if (QDir(QStringLiteral("results")).exists()) {
    window.addRoot(QStringLiteral("results/runs"));
    window.addLabsRoot(QStringLiteral("results/labs"));
  }
  QList<int> rows;
  for (const QString& dir : cl.folders) rows.append(window.openPath(dir));
  if (!rows.isEmpty()) window.selectRuns(rows);
  window.show();
  return QApplication::exec();
}
