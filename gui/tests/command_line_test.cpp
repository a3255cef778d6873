#include "gui/model/command_line.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <gtest/gtest.h>

#include "gui/tests/fixtures.h"

namespace stampede::gui {
namespace {

using Action = CommandLine::Action;

CommandLine parse(QStringList args) {
  args.prepend(QStringLiteral("stampede-gui"));
  return parse_command_line(args);
}

TEST(CommandLine, HelpVersionFoldersAndErrors) {
  EXPECT_EQ(parse({QStringLiteral("--help")}).action, Action::Help);
  EXPECT_EQ(parse({QStringLiteral("-h")}).exitCode(), 0);
  EXPECT_TRUE(parse({QStringLiteral("--help")}).text.startsWith(QStringLiteral("Usage: stampede-gui")));
  const CommandLine v = parse({QStringLiteral("--version")});
  EXPECT_EQ(v.action, Action::Version);
  EXPECT_EQ(v.text, QStringLiteral("stampede-gui " STAMPEDE_TEST_VERSION "\n"));

  const CommandLine ok = parse({testing::hash_run(), testing::range_run()});
  EXPECT_EQ(ok.action, Action::Open);
  EXPECT_EQ(ok.folders, (QStringList{testing::hash_run(), testing::range_run()}));

  const CommandLine missing = parse({testing::hash_run(), QStringLiteral("/no/such/run")});
  EXPECT_EQ(missing.action, Action::Error);
  EXPECT_EQ(missing.exitCode(), 2);
  EXPECT_EQ(missing.text, QStringLiteral("stampede-gui: /no/such/run: no such folder\n"));
  EXPECT_TRUE(missing.folders.isEmpty());
  const CommandLine file = parse({testing::hash_run() + QStringLiteral("/run.json")});
  EXPECT_TRUE(file.text.contains(QStringLiteral("not a folder")));
  const CommandLine bad = parse({QStringLiteral("--frobnicate")});
  EXPECT_EQ(bad.action, Action::Error);
  EXPECT_TRUE(bad.text.contains(QStringLiteral("frobnicate")));
}

// The real executable, with no display at all: --help and --version print and exit 0, a
// missing folder exits 2 naming it, and a real start without a display says why.
TEST(CommandLine, ExecutableWorksWithoutADisplay) {
  const QString exe = QStringLiteral(STAMPEDE_BINARY_DIR "/gui/stampede-gui");
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) env.remove(QLatin1String(name));
  const auto run = [&](const QStringList& args) {
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(env);
    p->start(exe, args);
    EXPECT_TRUE(p->waitForFinished(20000)) << args.join(QLatin1Char(' ')).toStdString();
    return p;
  };
  auto help = run({QStringLiteral("--help")});
  EXPECT_EQ(help->exitStatus(), QProcess::NormalExit);
  EXPECT_EQ(help->exitCode(), 0);
  const QString out = QString::fromLocal8Bit(help->readAllStandardOutput());
  EXPECT_TRUE(out.startsWith(QStringLiteral("Usage: stampede-gui"))) << out.toStdString();
  EXPECT_TRUE(out.contains(QStringLiteral("LAB_FOLDER")));

  auto version = run({QStringLiteral("--version")});
  EXPECT_EQ(version->exitCode(), 0);
  EXPECT_EQ(QString::fromLocal8Bit(version->readAllStandardOutput()), QStringLiteral("stampede-gui " STAMPEDE_TEST_VERSION "\n"));

  auto missing = run({QStringLiteral("/no/such/run")});
  EXPECT_EQ(missing->exitCode(), 2);
  EXPECT_TRUE(QString::fromLocal8Bit(missing->readAllStandardError()).contains(QStringLiteral("/no/such/run: no such folder")));

  auto no_display = run({testing::hash_run()});
  EXPECT_EQ(no_display->exitStatus(), QProcess::NormalExit);  // no abort from Qt's xcb plugin
  EXPECT_EQ(no_display->exitCode(), 1);
  EXPECT_TRUE(QString::fromLocal8Bit(no_display->readAllStandardError()).contains(QStringLiteral("no display")));
}

}  // namespace
}  // namespace stampede::gui
