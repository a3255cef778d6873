#include "gui/views/main_window.h"

#include <QAction>
#include <algorithm>
#include <QCloseEvent>
#include <QDockWidget>
#include <QSplitter>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

#include "gui/model/result_folders.h"

namespace stampede::gui {

namespace {
constexpr int kMaxRecent = 10;
constexpr int kRescanMs = 2000;
QSettings settings() { return QSettings(QStringLiteral("stampede"), QStringLiteral("stampede-gui")); }
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      runs_(new RunListModel(this)),
      run_table_(new QTableView),
      tabs_(new QTabWidget),
      overview_(new OverviewPage),
      endpoints_(new EndpointsPage),
      shards_(new ShardsPage),
      compare_(new ComparePage),
      live_(new LivePage) {
  setWindowTitle(tr("Stampede"));
  setAcceptDrops(true);
  tabs_->addTab(overview_, tr("Overview"));
  tabs_->addTab(endpoints_, tr("Endpoints"));
  tabs_->addTab(shards_, tr("Shards"));
  tabs_->addTab(compare_, tr("Compare"));
  tabs_->addTab(live_, tr("Live"));
  setCentralWidget(tabs_);
  // A followed run redraws only the page in view; the others catch up when shown.
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    if (stale_pages_.contains(tabs_->currentWidget())) drawPage(tabs_->currentWidget(), selectedRuns());
  });

  run_table_->setModel(runs_);
  run_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  run_table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  run_table_->verticalHeader()->hide();
  run_table_->setWordWrap(false);  // one line per run; full paths are in the tooltips
  run_table_->setSortingEnabled(true);
  run_table_->sortByColumn(-1, Qt::AscendingOrder);  // keep the order folders were added in
  run_table_->horizontalHeader()->setStretchLastSection(true);
  connect(run_table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::showSelection);
  connect(runs_, &QAbstractItemModel::rowsInserted, this, &MainWindow::fitColumns);
  auto* dock = new QDockWidget(tr("Runs"));
  dock->setObjectName(QStringLiteral("runsDock"));
  dock->setWidget(run_table_);
  addDockWidget(Qt::TopDockWidgetArea, dock);

  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open result folder…"), QKeySequence::Open, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Open result folder"));
    if (!d.isEmpty()) openPath(d);
  });
  recent_menu_ = file->addMenu(tr("Open &recent"));
  file->addAction(tr("&Export page PNG…"), this, &MainWindow::exportPageAs);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  rebuildRecentMenu();

  // A run started from the Live page joins the run list as soon as the engine has written
  // its run.json (within milliseconds; given up after 10 s), and is followed like any run.
  connect(live_, &LivePage::runStarted, this, [this](const QString& dir) { addWhenWritten(dir, 50); });
  connect(live_, &LivePage::runFinished, this, [this](const QString& dir) {
    const int row = runs_->rowOf(dir);
    if (row >= 0) refreshRun(dir);
    else if (QFileInfo::exists(dir + QStringLiteral("/run.json"))) runs_->addFolder(dir);
  });
  connect(&rescan_timer_, &QTimer::timeout, this, &MainWindow::rescan);
  rescan_timer_.start(kRescanMs);

  QSettings s = settings();
  resize(1400, 900);
  // Room for about six runs; the charts get the rest. A saved layout overrides this.
  const int rows = 6;
  resizeDocks({dock}, {run_table_->horizontalHeader()->sizeHint().height() +
                       rows * run_table_->verticalHeader()->defaultSectionSize() + 2 * run_table_->frameWidth()},
              Qt::Vertical);
  restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray());
  restoreState(s.value(QStringLiteral("windowState")).toByteArray());
  for (QSplitter* splitter : findChildren<QSplitter*>()) {  // the pages' named splitters
    if (!splitter->objectName().isEmpty())
      splitter->restoreState(s.value(QStringLiteral("splitters/") + splitter->objectName()).toByteArray());
  }
  tabs_->setCurrentIndex(s.value(QStringLiteral("tab"), 0).toInt());
}

int MainWindow::openFolder(const QString& dir) {
  const int row = runs_->addFolder(dir);
  const auto run = runs_->run(row);
  if (run && run->ok()) {
    rememberRecent(run->dir());
    statusBar()->showMessage(tr("Opened %1").arg(run->dir()), 5000);
    // A run still being written is also what Live is for, unless it is busy with its own.
    if (run->still_running() && !live_->running()) live_->follow(run->dir());
  } else if (run) {
    statusBar()->showMessage(run->error());
  }
  followRunning();
  selectRuns({row});
  return row;
}

QList<int> MainWindow::openPath(const QString& dir) {
  if (!is_lab_folder(dir)) return {openFolder(dir)};
  const QList<int> rows = runs_->addLab(dir);
  if (rows.isEmpty()) {
    statusBar()->showMessage(tr("%1: a lab folder without run folders").arg(dir));
    return rows;
  }
  followRunning();
  rememberRecent(QFileInfo(dir).canonicalFilePath());
  statusBar()->showMessage(tr("Opened lab %1: %2 runs").arg(QFileInfo(dir).fileName()).arg(rows.size()), 5000);
  selectRuns(rows);
  return rows;
}

void MainWindow::addLabsRoot(const QString& root) {
  if (!lab_roots_.contains(root)) lab_roots_.append(root);
  const int added = runs_->addLabsRoot(root);
  if (added > 0) statusBar()->showMessage(tr("%1 lab runs under %2").arg(added).arg(root), 5000);
  followRunning();
}

void MainWindow::addRoot(const QString& root) {
  if (!roots_.contains(root)) roots_.append(root);
  const int added = runs_->addRoot(root);
  if (added > 0) statusBar()->showMessage(tr("%1 runs under %2").arg(added).arg(root), 5000);
  followRunning();
}

void MainWindow::addWhenWritten(const QString& dir, int tries) {
  if (runs_->rowOf(dir) >= 0) return;
  if (QFileInfo::exists(dir + QStringLiteral("/run.json"))) {
    runs_->addFolder(dir);
    followRunning();
    return;
  }
  if (tries > 0) QTimer::singleShot(200, this, [this, dir, tries] { addWhenWritten(dir, tries - 1); });
}

void MainWindow::rescan() {
  int added = 0;
  for (const QString& root : roots_) added += runs_->addRoot(root);
  for (const QString& root : lab_roots_) added += runs_->addLabsRoot(root);
  if (added > 0) {
    statusBar()->showMessage(tr("%n new run(s)", nullptr, added), 5000);
    followRunning();
  }
}

void MainWindow::followRunning() {
  for (int row = 0; row < runs_->rowCount(); ++row) {
    const auto run = runs_->run(row);
    if (!run || !run->still_running() || followers_.contains(run->dir())) continue;
    const QString dir = run->dir();
    auto* follower = new LiveRunFollower(dir, this);
    followers_.insert(dir, follower);
    const auto done = [this, dir, follower] {
      followers_.remove(dir);
      follower->deleteLater();
      refreshRun(dir);
    };
    connect(follower, &LiveRunFollower::pointsAppended, this, [this, dir] { scheduleRefresh(dir); });
    connect(follower, &LiveRunFollower::finished, this, done);
    connect(follower, &LiveRunFollower::errorOccurred, this, done);
    // The first poll reads what is there already: the row was just read, skip that redraw.
    follower->blockSignals(true);
    follower->start(1000);
    follower->blockSignals(false);
    if (!follower->isFollowing()) done();  // it finished between the read and now
  }
}

void MainWindow::fitColumns() {
  constexpr int kMaxColumnWidth = 360;  // a long run or lab name; the tooltip has it whole
  run_table_->resizeColumnsToContents();
  for (int c = 0; c < RunListModel::ColumnCount; ++c) {
    if (c != RunListModel::Target && c != RunListModel::Date && run_table_->columnWidth(c) > kMaxColumnWidth) {
      run_table_->setColumnWidth(c, kMaxColumnWidth);
    }
  }
}

void MainWindow::scheduleRefresh(const QString& dir) {
  Refresh& r = refreshes_[dir];
  if (r.pending) return;
  r.pending = true;
  const qint64 wait = r.since.isValid() ? std::max<qint64>(0, 10 * r.cost_ms - r.since.elapsed()) : 0;
  QTimer::singleShot(wait, this, [this, dir] {
    QElapsedTimer clock;
    clock.start();
    growRun(dir);
    Refresh& done = refreshes_[dir];
    done.pending = false;
    done.cost_ms = clock.elapsed();
    done.since.start();
  });
}

void MainWindow::growRun(const QString& dir) {
  const int row = runs_->rowOf(dir);
  if (row < 0) return;
  const auto run = runs_->run(row);
  LiveRunFollower* follower = followers_.value(dir);
  // The row was read before its follower started: its history is a prefix of the points
  // the follower has read since (both read the file from its start, in order).
  const auto& have = run->result().history;
  const QList<results::HistoryPoint>* points = follower ? &follower->points() : nullptr;
  const auto n = static_cast<qsizetype>(have.size());
  const bool prefix = points && run->ok() && n <= points->size() &&
                      (n == 0 || (*points)[n - 1].elapsed_s == have.back().elapsed_s);
  if (!prefix || !runs_->extend(row, std::vector<results::HistoryPoint>(points->begin() + n, points->end()))) runs_->reload(row);
  if (run_table_->selectionModel()->isRowSelected(row, {})) redrawVisiblePage();
}

void MainWindow::refreshRun(const QString& dir) {
  const int row = runs_->rowOf(dir);
  if (row < 0) return;
  runs_->reload(row);
  if (run_table_->selectionModel()->isRowSelected(row, {})) showSelection();
}

void MainWindow::selectRuns(const QList<int>& rows) {
  QItemSelectionModel* sel = run_table_->selectionModel();
  sel->clearSelection();
  for (int row : rows) {
    sel->select(runs_->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
  }
  if (!rows.isEmpty()) sel->setCurrentIndex(runs_->index(rows.front(), 0), QItemSelectionModel::NoUpdate);
  showSelection();
}

QList<std::shared_ptr<const RunModel>> MainWindow::selectedRuns() const {
  QList<int> rows;
  for (const QModelIndex& i : run_table_->selectionModel()->selectedRows()) rows.append(i.row());
  // Keep the current row first: it is what the single-run pages show and the baseline.
  const int current = run_table_->selectionModel()->currentIndex().row();
  std::sort(rows.begin(), rows.end());
  if (rows.contains(current)) {
    rows.removeAll(current);
    rows.prepend(current);
  }
  QList<std::shared_ptr<const RunModel>> selected;
  for (int row : rows) selected.append(runs_->run(row));
  return selected;
}

void MainWindow::drawPage(QWidget* page, const QList<std::shared_ptr<const RunModel>>& selected) {
  stale_pages_.remove(page);
  const auto first = selected.isEmpty() ? nullptr : selected.front();
  if (page == overview_) overview_->setRun(first);
  else if (page == endpoints_) endpoints_->setRun(first);
  else if (page == shards_) shards_->setRun(first);
  else if (page == compare_) compare_->setRuns(selected);
}

void MainWindow::showSelection() {
  const auto selected = selectedRuns();
  for (QWidget* page : selectionPages()) drawPage(page, selected);
  const auto first = selected.isEmpty() ? nullptr : selected.front();
  // A broken run's error (or a run's reader warnings) stays only while that run is selected.
  if (first && (!first->ok() || !first->warnings().isEmpty())) {
    shown_error_ = first->ok() ? first->warnings().join(QStringLiteral("; ")) : first->error();
    statusBar()->showMessage(shown_error_);
  } else if (!shown_error_.isEmpty()) {
    if (statusBar()->currentMessage() == shown_error_) statusBar()->clearMessage();
    shown_error_.clear();
  }
}

void MainWindow::redrawVisiblePage() {
  const auto selected = selectedRuns();
  for (QWidget* page : selectionPages()) {
    if (page == tabs_->currentWidget()) drawPage(page, selected);
    else stale_pages_.insert(page);
  }
}

QList<QWidget*> MainWindow::selectionPages() const { return {overview_, endpoints_, shards_, compare_}; }

void MainWindow::rememberRecent(const QString& dir) {
  QSettings s = settings();
  QStringList recent = s.value(QStringLiteral("recentFolders")).toStringList();
  recent.removeAll(dir);
  recent.prepend(dir);
  while (recent.size() > kMaxRecent) recent.removeLast();
  s.setValue(QStringLiteral("recentFolders"), recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent = settings().value(QStringLiteral("recentFolders")).toStringList();
  for (const QString& dir : recent) {
    recent_menu_->addAction(dir, this, [this, dir] { openPath(dir); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::exportPageAs() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export page"),
                                                    tabs_->tabText(tabs_->currentIndex()) + QStringLiteral(".png"),
                                                    tr("PNG images (*.png)"));
  if (!path.isEmpty()) exportPage(path);
}

bool MainWindow::exportPage(const QString& path) {
  const bool ok = tabs_->currentWidget()->grab().save(path, "PNG");
  statusBar()->showMessage(ok ? tr("Saved %1").arg(path) : tr("Could not save %1").arg(path), 5000);
  return ok;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (live_->running()) {
    statusBar()->showMessage(tr("Stopping the run started from Live…"));
    statusBar()->repaint();
  }
  live_->stopAndWait();  // a run started from Live ends "interrupted", its folder complete
  QSettings s = settings();
  s.setValue(QStringLiteral("geometry"), saveGeometry());
  s.setValue(QStringLiteral("windowState"), saveState());
  for (QSplitter* splitter : findChildren<QSplitter*>()) {
    if (!splitter->objectName().isEmpty())
      s.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
  }
  s.setValue(QStringLiteral("tab"), tabs_->currentIndex());
  QMainWindow::closeEvent(event);
}

namespace {
// The local folders among dropped URLs (files and remote URLs are not result folders).
QStringList dropped_folders(const QMimeData* data) {
  QStringList dirs;
  for (const QUrl& url : data->urls()) {
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) dirs.append(url.toLocalFile());
  }
  return dirs;
}
}  // namespace

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!dropped_folders(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QStringList dirs = dropped_folders(event->mimeData());
  if (dirs.isEmpty()) return;
  QList<int> rows;  // several folders dropped at once are selected together (Compare)
  for (const QString& dir : dirs) rows += openPath(dir);
  if (rows.size() > 1) selectRuns(rows);
  event->acceptProposedAction();
}

}  // namespace stampede::gui
