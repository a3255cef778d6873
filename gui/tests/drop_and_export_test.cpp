// Dragging folders from a file manager onto the window, and exporting PNGs, offscreen with
// real rendering. The drag events take Qt's own path: they are delivered to the widget
// under the cursor that accepts drops (a chart, whose QGraphicsView does) and travel up to
// the window as QApplication does; the Drop goes where the DragEnter was accepted. Exports
// go through the real menus and file dialog (answered by a timer), and the saved file is
// compared with what the page draws.
#include <QFileDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

// The widget a drag at `at` (window coordinates) is delivered to: the one under the cursor,
// or its nearest ancestor that accepts drops (as QWidgetWindow finds it).
QWidget* drop_target(QWidget* window, QPoint at) {
  QWidget* w = window->childAt(at);
  while (w && w != window && !w->acceptDrops()) w = w->parentWidget();
  return w ? w : window;
}

// Drags `urls` over `at` and drops them; true when the window took the drop.
bool drag_and_drop(QWidget* window, QPoint at, const QList<QUrl>& urls) {
  QMimeData data;
  data.setUrls(urls);
  QWidget* target = drop_target(window, at);
  const QPoint local = target->mapFrom(window, at);
  QDragEnterEvent enter(local, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  enter.setAccepted(false);
  QApplication::sendEvent(target, &enter);
  if (!enter.isAccepted()) return false;
  QDragMoveEvent move(local, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &move);
  QDropEvent drop(local, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
  drop.setAccepted(false);
  QApplication::sendEvent(target, &drop);
  return drop.isAccepted();
}

QPoint centre_of(QWidget* widget, QWidget* window) { return widget->mapTo(window, widget->rect().center()); }

TEST(DragAndDrop, ARunFolderDroppedOnAChartIsOpenedAndDrawn) {
  MainWindow window;
  window.resize(1300, 900);
  window.show();
  window.tabs()->setCurrentWidget(window.overview());
  QApplication::processEvents();
  ChartView* latency = window.overview()->charts()[1];
  const QPoint at = centre_of(latency, &window);
  ASSERT_TRUE(latency->isAncestorOf(window.childAt(at))) << "the cursor is over the chart";

  ASSERT_TRUE(drag_and_drop(&window, at, {QUrl::fromLocalFile(hash_run())}));
  const int row = window.runs()->rowOf(QFileInfo(hash_run()).canonicalFilePath());
  ASSERT_GE(row, 0);
  EXPECT_EQ(window.runTable()->currentIndex().row(), row) << "the dropped run is selected";
  const auto run = load(hash_run());
  EXPECT_TRUE(latency->chart()->title().startsWith(QStringLiteral("coupon-hash: ")));
  EXPECT_EQ(latency->pointCount(QStringLiteral("p95")), run->latency_series(95).points.size());
  expect_drawn(latency, QStringLiteral("dropped-run-latency"));

  // Dropped again, on the run list this time: still one row.
  const int rows = window.runs()->rowCount();
  EXPECT_TRUE(drag_and_drop(&window, centre_of(window.runTable(), &window), {QUrl::fromLocalFile(hash_run())}));
  EXPECT_EQ(window.runs()->rowCount(), rows);
}

TEST(DragAndDrop, ALabFolderDroppedOnTheEndpointsTableIsCompared) {
  MainWindow window;
  window.resize(1300, 900);
  window.show();
  window.tabs()->setCurrentWidget(window.endpoints());
  QApplication::processEvents();
  ASSERT_TRUE(drag_and_drop(&window, centre_of(window.endpoints()->table(), &window),
                            {QUrl::fromLocalFile(lab_folder())}));
  EXPECT_EQ(window.runs()->rowCount(), 3);
  EXPECT_EQ(window.compare()->model()->runs().size(), 3) << "the lab's runs are selected together";
  EXPECT_GT(window.endpoints()->model()->rowCount(), 1) << "the baseline is on the single-run pages";
  window.tabs()->setCurrentWidget(window.compare());
  expect_drawn(window.compare()->charts()[2], QStringLiteral("dropped-lab-percentiles"), 3);
}

TEST(DragAndDrop, FilesAndRemoteUrlsAreRefusedAndNothingIsAdded) {
  MainWindow window;
  window.resize(1300, 900);
  window.show();
  QApplication::processEvents();
  const QPoint at = centre_of(window.overview()->charts()[0], &window);
  EXPECT_FALSE(drag_and_drop(&window, at, {QUrl::fromLocalFile(hash_run() + QStringLiteral("/stats.json")),
                                           QUrl(QStringLiteral("https://example.com/run"))}));
  EXPECT_FALSE(drag_and_drop(&window, at, {QUrl::fromLocalFile(QStringLiteral("/nonexistent/stampede-run"))}));
  EXPECT_EQ(window.runs()->rowCount(), 0);
}

// Answers the next file dialog with `path` (polls until one is shown, for at most 10 s).
// `suggested` receives the file name the dialog proposed.
void answer_file_dialog(const QString& path, QString* suggested) {
  auto* timer = new QTimer;
  auto* waited = new int(0);
  QObject::connect(timer, &QTimer::timeout, [timer, waited, path, suggested] {
    QFileDialog* dialog = nullptr;
    for (QWidget* w : QApplication::topLevelWidgets()) {
      if (auto* d = qobject_cast<QFileDialog*>(w); d && d->isVisible()) dialog = d;
    }
    if (!dialog && ++*waited < 200) return;
    timer->stop();
    timer->deleteLater();
    delete waited;
    if (!dialog) return;
    *suggested = dialog->selectedFiles().value(0);
    // As a user types it: the folder, then the name in the dialog's file name field.
    dialog->setDirectory(QFileInfo(path).absolutePath());
    if (auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"))) name->setText(QFileInfo(path).fileName());
    static_cast<QDialog*>(dialog)->accept();  // public in QDialog
  });
  timer->start(50);
}

QAction* menu_action(QMenuBar* bar, const QString& text) {
  for (QAction* menu : bar->actions()) {
    if (!menu->menu()) continue;
    for (QAction* a : menu->menu()->actions()) {
      if (a->text().remove(QLatin1Char('&')) == text) return a;
    }
  }
  return nullptr;
}

// What was saved is what the page draws: same size, same pixels, not blank.
void expect_saved_picture(const QString& path, QWidget* page, const char* what) {
  const QImage saved(path);
  ASSERT_FALSE(saved.isNull()) << what;
  const QImage drawn = page->grab().toImage();
  EXPECT_EQ(saved.size(), drawn.size()) << what;
  EXPECT_EQ(saved.convertToFormat(QImage::Format_RGB32), drawn.convertToFormat(QImage::Format_RGB32)) << what;
  EXPECT_GE(measure(saved, saved.rect()).colours, 4) << what;
}

TEST(Export, EachPageSavesAsPngThroughTheFileMenu) {
  QTemporaryDir tmp;
  MainWindow window;
  window.resize(1300, 900);
  window.show();
  window.selectRuns(window.openPath(lab_folder()));
  QAction* export_page = menu_action(window.menuBar(), QStringLiteral("Export page PNG…"));
  ASSERT_NE(export_page, nullptr);
  for (QWidget* page : QList<QWidget*>{window.overview(), window.endpoints(), window.shards(), window.compare()}) {
    window.tabs()->setCurrentWidget(page);
    settled_grab(page);
    const QString name = window.tabs()->tabText(window.tabs()->currentIndex());
    const QString path = tmp.path() + QLatin1Char('/') + name + QStringLiteral("-page.png");
    QString suggested;
    answer_file_dialog(path, &suggested);
    export_page->trigger();  // the dialog's event loop runs until the timer answers it
    EXPECT_TRUE(suggested.endsWith(name + QStringLiteral(".png"))) << suggested.toStdString();
    ASSERT_TRUE(QFileInfo::exists(path)) << path.toStdString();
    expect_saved_picture(path, page, name.toUtf8().constData());
    EXPECT_EQ(window.statusBar()->currentMessage(), QStringLiteral("Saved %1").arg(path));
  }
  // A path that cannot be written is said to be, not silently lost.
  const QString bad = tmp.path() + QStringLiteral("/no-such-folder/page.png");
  EXPECT_FALSE(window.exportPage(bad));
  EXPECT_EQ(window.statusBar()->currentMessage(), QStringLiteral("Could not save %1").arg(bad));
}

TEST(Export, AChartSavesAsPngFromItsContextMenu) {
  QTemporaryDir tmp;
  OverviewPage page;
  show_run(page, 1000, 800, load(open_run()));
  ChartView* chart = page.charts()[0];
  settled_grab(chart);
  const QString path = tmp.path() + QStringLiteral("/chart.png");
  QString suggested;
  // The context menu: pick "Export PNG…" once it shows; then the file dialog.
  bool menu_shown = false;
  QTimer::singleShot(100, [&] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    menu_shown = true;
    QAction* action = nullptr;
    for (QAction* a : menu->actions()) {
      if (a->text() == QStringLiteral("Export PNG…")) action = a;
    }
    if (!action) {
      menu->close();
      return;
    }
    answer_file_dialog(path, &suggested);
    menu->setActiveAction(action);
    QTest::keyClick(menu, Qt::Key_Return);
  });
  const QPoint at = chart->rect().center();
  QContextMenuEvent event(QContextMenuEvent::Mouse, at, chart->mapToGlobal(at));
  QApplication::sendEvent(chart->viewport(), &event);  // where a right click lands
  ASSERT_TRUE(menu_shown) << "the context menu opened";
  // The title, whose "requests/s" must not turn into a folder.
  ASSERT_TRUE(chart->chart()->title().contains(QLatin1Char('/')));
  EXPECT_TRUE(suggested.endsWith(QLatin1Char('/') + chart->chart()->title().replace(QLatin1Char('/'), QStringLiteral(" per ")) +
                                 QStringLiteral(".png")))
      << suggested.toStdString();
  ASSERT_TRUE(QFileInfo::exists(path));
  expect_saved_picture(path, chart, "chart");
}

}  // namespace
}  // namespace stampede::gui
