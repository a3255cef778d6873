// The command line of stampede-gui, parsed before any QApplication exists, so --help,
// --version and bad arguments work without a display (and in scripts):
//
//   stampede-gui [RESULT_FOLDER | LAB_FOLDER ...]
//
// Every folder named must exist and be a directory; the first one that does not is an
// error naming it. Pure (only QFileInfo look-ups); any thread.
#pragma once

#include <QString>
#include <QStringList>

namespace stampede::gui {

struct CommandLine {
  enum class Action { Open, Help, Version, Error };
  Action action = Action::Open;
  QStringList folders;  // Open: the folders, as given
  QString text;         // Help / Version: what to print on stdout; Error: the message for stderr
  int exitCode() const { return action == Action::Error ? 2 : 0; }
};

// `arguments` as in argv (the first is the program). Never throws.
CommandLine parse_command_line(const QStringList& arguments);

QString help_text();
QString version_text();

}  // namespace stampede::gui
