#include "gui/views/live_page.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <csignal>

#include "gui/model/run_model.h"
#include "results/result_folder.h"

namespace stampede::gui {

namespace {
// The engine next to this executable in a build tree (gui/ and generator/ are siblings),
// else `stampede` from PATH.
QString default_program() {
  const QString sibling = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../generator/stampede"));
  if (QFileInfo(sibling).isExecutable()) return QDir::cleanPath(sibling);
  const QString found = QStandardPaths::findExecutable(QStringLiteral("stampede"));
  return found.isEmpty() ? QStringLiteral("stampede") : found;
}
}  // namespace

LivePage::LivePage(QWidget* parent)
    : QWidget(parent),
      program_(new QLineEdit(default_program())),
      scenario_(new QLineEdit(QStringLiteral("scenarios/coupon.json"))),
      host_(new QLineEdit(QStringLiteral("http://127.0.0.1:8000"))),
      users_(new QSpinBox),
      spawn_rate_(new QDoubleSpinBox),
      run_time_(new QLineEdit(QStringLiteral("30s"))),
      out_root_(new QLineEdit(QStringLiteral("results/runs"))),
      start_(new QPushButton(tr("Start run"))),
      stop_(new QPushButton(tr("Stop"))),
      status_(new QLabel(tr("Not following a run."))),
      log_(new QPlainTextEdit),
      charts_(new RunCharts(tr("Live: users and requests/s"), tr("Live: response time percentiles"))) {
  users_->setRange(1, 1000000);
  users_->setValue(10);
  spawn_rate_->setRange(0.1, 100000);
  spawn_rate_->setValue(5);
  status_->setWordWrap(true);
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(500);
  stop_->setEnabled(false);

  auto* browse = new QPushButton(tr("…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString f = QFileDialog::getOpenFileName(this, tr("Scenario"), scenario_->text(), tr("Scenarios (*.json)"));
    if (!f.isEmpty()) scenario_->setText(f);
  });
  auto* scenario_row = new QHBoxLayout;
  scenario_row->addWidget(scenario_);
  scenario_row->addWidget(browse);
  auto* follow_button = new QPushButton(tr("Follow folder…"));
  connect(follow_button, &QPushButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Follow a result folder"));
    if (!d.isEmpty()) follow(d);
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(start_);
  buttons->addWidget(stop_);
  buttons->addWidget(follow_button);
  auto* form = new QFormLayout;
  form->addRow(tr("stampede"), program_);
  form->addRow(tr("Scenario"), scenario_row);
  form->addRow(tr("Host"), host_);
  form->addRow(tr("Users"), users_);
  form->addRow(tr("Spawn rate (/s)"), spawn_rate_);
  form->addRow(tr("Run time"), run_time_);
  form->addRow(tr("Results under"), out_root_);
  form->addRow(buttons);
  form->addRow(status_);
  auto* side = new QVBoxLayout;
  side->addLayout(form);
  side->addWidget(log_);
  charts_->setPlaceholder(tr("no run followed: Start run, or Follow folder…"));
  auto* layout = new QHBoxLayout(this);
  layout->addLayout(side, 1);
  layout->addWidget(charts_, 2);

  connect(start_, &QPushButton::clicked, this, [this] { startRun(); });
  connect(stop_, &QPushButton::clicked, this, &LivePage::stopRun);
}

LivePage::~LivePage() {
  blockSignals(true);  // whoever listens may be half destroyed already
  stopAndWait();
}

bool LivePage::running() const { return process_ && process_->state() != QProcess::NotRunning; }

void LivePage::stopAndWait() {
  if (!running()) return;
  // As Stop, then as a second Ctrl-C (in-flight requests abandoned): either way the engine
  // finishes the result folder. Killed only if it does neither.
  status_->setText(tr("Stopping the run…"));
  status_->repaint();  // the waits below block the event loop
  for (int wait_ms : {3000, 5000}) {
    stopRun();
    if (process_->waitForFinished(wait_ms)) return;
  }
  process_->kill();
  process_->waitForFinished(2000);
}

QStringList LivePage::runArguments(const QString& out_dir) const {
  return {QStringLiteral("run"), QStringLiteral("-f"), scenario_->text(), QStringLiteral("-H"), host_->text(),
          QStringLiteral("-u"), QString::number(users_->value()), QStringLiteral("-r"),
          QString::number(spawn_rate_->value()), QStringLiteral("-t"), run_time_->text(),
          QStringLiteral("--only-summary"), QStringLiteral("--out"), out_dir};
}

QString LivePage::startRun(const QString& program, const QString& scenario, const QString& host, int users,
                           double spawn_rate, const QString& run_time, const QString& out_root) {
  program_->setText(program);
  scenario_->setText(scenario);
  host_->setText(host);
  users_->setValue(users);
  spawn_rate_->setValue(spawn_rate);
  run_time_->setText(run_time);
  out_root_->setText(out_root);
  return startRun();
}

QString LivePage::startRun() {
  if (process_ && process_->state() != QProcess::NotRunning) return {};
  const std::string label = QFileInfo(scenario_->text()).completeBaseName().toStdString() + "-gui";
  const QString out_dir = QDir(out_root_->text()).absoluteFilePath(QString::fromStdString(
      results::default_run_folder_name(QDateTime::currentMSecsSinceEpoch(), label)));
  delete process_;
  process_ = new QProcess(this);
  process_->setProcessChannelMode(QProcess::MergedChannels);
  first_output_.clear();
  connect(process_, &QProcess::readyRead, this, [this] {
    const QString text = QString::fromLocal8Bit(process_->readAll()).trimmed();
    log_->appendPlainText(text);
    // The engine's usage and scenario errors come first; its pointer to --help adds nothing.
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
      if (first_output_.size() < 4 && !line.startsWith(QLatin1String("Run '"))) first_output_.append(line.trimmed());
    }
  });
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;  // a crash is told when it finishes
    if (follower_) follower_->stop();  // nothing will write
    status_->setText(tr("Could not run %1: %2").arg(program_->text(), process_->errorString()));
    start_->setEnabled(true);
    stop_->setEnabled(false);
  });
  connect(process_, &QProcess::finished, this, [this, out_dir](int code, QProcess::ExitStatus exit) {
    start_->setEnabled(true);
    stop_->setEnabled(false);
    if (exit == QProcess::CrashExit) {
      // Killed (or crashed): it could not finish its folder, which stays "running".
      log_->appendPlainText(tr("stampede was killed or crashed"));
      if (follower_) follower_->stop();
      status_->setText(tr("stampede was killed or crashed; %1 keeps what it wrote until then (no stats.json)")
                           .arg(out_dir));
      emit runFinished(out_dir);
      return;
    }
    log_->appendPlainText(tr("stampede exited with code %1").arg(code));
    if (!QFileInfo::exists(out_dir + QStringLiteral("/run.json"))) {
      // It stopped before writing anything (a bad flag or scenario): nothing to wait for.
      if (follower_) follower_->stop();
      status_->setText(first_output_.isEmpty()
                           ? tr("stampede exited with code %1 before writing a result folder").arg(code)
                           : tr("stampede exited with code %1 before writing a result folder: %2")
                                 .arg(code)
                                 .arg(first_output_.join(QLatin1Char(' '))));
      return;
    }
    if (follower_) follower_->poll();
    emit runFinished(out_dir);
  });
  log_->appendPlainText(program_->text() + QLatin1Char(' ') + runArguments(out_dir).join(QLatin1Char(' ')));
  process_->start(program_->text(), runArguments(out_dir));
  start_->setEnabled(false);
  stop_->setEnabled(true);
  follow(out_dir);
  emit runStarted(out_dir);
  return out_dir;
}

void LivePage::stopRun() {
  // SIGINT: the engine stops its users and still writes stats.json, like Ctrl-C.
  if (running()) ::kill(static_cast<pid_t>(process_->processId()), SIGINT);
}

void LivePage::follow(const QString& dir) {
  follower_ = std::make_unique<LiveRunFollower>(dir);
  status_->setText(tr("Waiting for %1").arg(dir));
  connect(follower_.get(), &LiveRunFollower::pointsAppended, this, [this] { redraw(); });
  connect(follower_.get(), &LiveRunFollower::statusChanged, this,
          [this, dir](const QString& s) { status_->setText(tr("%1: %2").arg(dir, s)); });
  connect(follower_.get(), &LiveRunFollower::errorOccurred, this,
          [this](const QString& e) { status_->setText(tr("Error: %1").arg(e)); });
  charts_->clear();
  follower_->start(500);
  redraw();
}

void LivePage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) redraw();
}

void LivePage::redraw() {
  if (!follower_) return;
  // Hidden while its parent shows (another tab is in view): a long run costs tens of ms
  // a redraw, spent only when the page is looked at.
  if (isHidden() && parentWidget() && parentWidget()->isVisible()) {
    stale_ = true;
    return;
  }
  stale_ = false;
  results::RunResult result;
  result.history.assign(follower_->points().begin(), follower_->points().end());
  const RunModel run = RunModel::from_result(follower_->dir(), std::move(result));
  charts_->draw(run, run.user_change_marks(), tr("no history yet"));
}

}  // namespace stampede::gui
