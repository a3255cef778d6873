// stampede-gui [RESULT_FOLDER ...]: the dashboard. Lists the runs under results/runs (when
// started from a checkout) and opens the folders given; several folders are compared.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>

#include "gui/views/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("stampede-gui"));
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Explore, compare and follow Stampede result folders."));
  parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("folders"), QStringLiteral("Result folders to open."),
                               QStringLiteral("[RESULT_FOLDER ...]"));
  parser.process(app);

  stampede::gui::MainWindow window;
  if (QDir(QStringLiteral("results/runs")).exists()) window.addRoot(QStringLiteral("results/runs"));
  QList<int> rows;
  for (const QString& dir : parser.positionalArguments()) rows.append(window.openFolder(dir));
  if (!rows.isEmpty()) window.selectRuns(rows);
  window.show();
  return QApplication::exec();
}
