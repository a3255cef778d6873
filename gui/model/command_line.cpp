#include "gui/model/command_line.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace stampede::gui {

QString help_text() {
  return QStringLiteral(
      "Usage: stampede-gui [RESULT_FOLDER | LAB_FOLDER ...]\n"
      "Explore, compare and follow Stampede result folders.\n"
      "\n"
      "Lists the runs under results/runs and results/labs/*/ (when started from a checkout)\n"
      "and opens the folders given. A lab folder (written by `stampede lab`) opens all its\n"
      "runs; several runs are selected for Compare (the first is the baseline).\n"
      "\n"
      "Options:\n"
      "  -h, --help     Show this help and exit.\n"
      "  -v, --version  Show the version and exit.\n"
      "\n"
      "Arguments:\n"
      "  RESULT_FOLDER  A run folder (holds run.json), e.g. results/runs/<ts>-coupon.\n"
      "  LAB_FOLDER     A lab folder, e.g. results/labs/<ts>-lab.\n");
}

QString version_text() {
  return QStringLiteral("stampede-gui " STAMPEDE_VERSION "\n");
}

CommandLine parse_command_line(const QStringList& arguments) {
  QCommandLineParser parser;
  const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
  const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")}, QString());
  parser.addOption(help);
  parser.addOption(version);
  CommandLine cl;
  if (!parser.parse(arguments)) {
    cl.action = CommandLine::Action::Error;
    cl.text = QStringLiteral("stampede-gui: %1\nTry 'stampede-gui --help'.\n").arg(parser.errorText());
    return cl;
  }
  if (parser.isSet(help)) {
    cl.action = CommandLine::Action::Help;
    cl.text = help_text();
    return cl;
  }
  if (parser.isSet(version)) {
    cl.action = CommandLine::Action::Version;
    cl.text = version_text();
    return cl;
  }
  for (const QString& dir : parser.positionalArguments()) {
    const QFileInfo info(dir);
    if (!info.exists() || !info.isDir()) {
      cl.action = CommandLine::Action::Error;
      cl.text = QStringLiteral("stampede-gui: %1: %2\n")
                    .arg(dir, info.exists() ? QStringLiteral("not a folder (give a result or lab folder)")
                                            : QStringLiteral("no such folder"));
      cl.folders.clear();
      return cl;
    }
    cl.folders.append(dir);
  }
  return cl;
}

}  // namespace stampede::gui
