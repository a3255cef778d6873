#include "gui/views/overview_page.h"

#include <QFileInfo>
#include <QVBoxLayout>

namespace stampede::gui {

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent),
      charts_(new RunCharts(tr("Users, requests/s, failures/s"), tr("Response time percentiles"))) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(charts_);
}

void OverviewPage::setRun(std::shared_ptr<const RunModel> run) {
  const bool ok = run && run->ok();
  if (!ok || run->dir() != dir_) {
    dir_.clear();
    charts_->clear();
  }
  charts_->setSubject(ok ? run->display_name() : QString());
  if (!ok) {
    charts_->setPlaceholder(run ? run->error() : tr("no run selected"));
    return;
  }
  dir_ = run->dir();
  const bool has_history = QFileInfo::exists(run->dir() + QStringLiteral("/history.jsonl"));
  charts_->draw(*run, run->stage_marks(),
                has_history ? tr("no data: history.jsonl has no lines") : tr("no data: this folder has no history.jsonl"));
}

}  // namespace stampede::gui
