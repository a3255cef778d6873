// MainWindow: wires the run list (left dock) to the pages (tabs). Selecting one run shows
// it in Overview, Endpoints and Shards; selecting several also fills Compare (first
// selected = baseline). File → Open / Open Recent / drag-and-drop add result folders, or
// lab folders (all their runs, selected together for Compare);
// File → Export page PNG saves the visible page. Window layout and recent folders persist
// in QSettings ("stampede", "stampede-gui").
//
// Any listed run whose run.json says "running" is followed (LiveRunFollower): its row grows
// by the new history lines as they arrive (and, when selected, the page in view is redrawn;
// the other pages when shown), and is re-read once it finishes. The
// roots given to addRoot / addLabsRoot are rescanned every few seconds for new folders.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QMenu>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include "gui/model/live_run_follower.h"
#include "gui/model/run_list_model.h"
#include "gui/views/compare_page.h"
#include "gui/views/endpoints_page.h"
#include "gui/views/live_page.h"
#include "gui/views/overview_page.h"
#include "gui/views/shards_page.h"

namespace stampede::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Adds a folder (selects it); a folder that fails to read shows its error in the status
  // bar and its row. Returns the row.
  int openFolder(const QString& dir);
  // A lab folder (result_folders.h): adds all its runs and selects them; otherwise the same
  // as openFolder. Returns the rows (empty for a lab folder without runs).
  QList<int> openPath(const QString& dir);
  // Lists every run folder under `root` (e.g. results/runs).
  void addRoot(const QString& root);
  // Lists the runs of every lab folder under `root` (e.g. results/labs).
  void addLabsRoot(const QString& root);
  // Selects these rows of the run list (first = baseline for Compare).
  void selectRuns(const QList<int>& rows);
  // Lists folders that appeared under the roots since the last scan (the timer calls it).
  void rescan();
  // Adds a run folder to the list once its run.json exists, retrying every 200 ms.
  void addWhenWritten(const QString& dir, int tries);
  // Saves the page in view as a PNG at `path` (File → Export page PNG… asks for the path);
  // says so in the status bar. False when it could not be written.
  bool exportPage(const QString& path);
  // Folders of listed runs being followed because their status is "running".
  QStringList followedRuns() const { return followers_.keys(); }

  RunListModel* runs() const { return runs_; }
  QTableView* runTable() const { return run_table_; }
  QTabWidget* tabs() const { return tabs_; }
  OverviewPage* overview() const { return overview_; }
  EndpointsPage* endpoints() const { return endpoints_; }
  ShardsPage* shards() const { return shards_; }
  ComparePage* compare() const { return compare_; }
  LivePage* live() const { return live_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  // The selected runs, the current row first (the single-run pages' run and the baseline).
  QList<std::shared_ptr<const RunModel>> selectedRuns() const;
  // Every page that shows the selection (all but Live).
  QList<QWidget*> selectionPages() const;
  void drawPage(QWidget* page, const QList<std::shared_ptr<const RunModel>>& selected);
  // Draws the selection on every page.
  void showSelection();
  // Draws it on the page in view only (a followed run grew); the others are marked stale
  // and drawn when their tab is shown.
  void redrawVisiblePage();
  void rememberRecent(const QString& dir);
  void rebuildRecentMenu();
  void exportPageAs();
  // Follows each listed run whose status is "running" and is not followed yet.
  void followRunning();
  // Re-reads a listed run and redraws the selection if it is selected.
  void refreshRun(const QString& dir);
  // Appends a followed run's new history lines to its row (re-reads it when that is not
  // possible) and redraws the page in view if it is selected.
  void growRun(const QString& dir);
  // growRun for a followed run's new lines, spaced so that redrawing takes at most about a
  // tenth of the time.
  void scheduleRefresh(const QString& dir);
  // Columns as wide as their contents (target and date are never cut), the long ones capped.
  void fitColumns();

  RunListModel* runs_;
  QTableView* run_table_;
  QTabWidget* tabs_;
  OverviewPage* overview_;
  EndpointsPage* endpoints_;
  ShardsPage* shards_;
  ComparePage* compare_;
  LivePage* live_;
  QMenu* recent_menu_ = nullptr;
  QStringList roots_, lab_roots_;
  QTimer rescan_timer_;
  QHash<QString, LiveRunFollower*> followers_;  // by run folder; owned by this window
  struct Refresh {
    bool pending = false;
    qint64 cost_ms = 0;  // of the last refresh
    QElapsedTimer since;  // the last refresh
  };
  QHash<QString, Refresh> refreshes_;  // by followed run folder
  QSet<QWidget*> stale_pages_;  // pages not redrawn since a followed run grew
  QString shown_error_;  // the selected broken run's error in the status bar, if any
};

}  // namespace stampede::gui
