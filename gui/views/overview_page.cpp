#include "gui/views/overview_page.h"

#include <QFileInfo>
#include <QVBoxLayout>

#include "gui/model/run_summary.h"

namespace stampede::gui {

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel),
      warning_(new QLabel),
      charts_(new RunCharts(tr("Users, requests/s, failures/s"), tr("Response time percentiles"))) {
  for (QLabel* label : {summary_, warning_}) {
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
  }
  warning_->setStyleSheet(QStringLiteral("color: #d62728;"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(summary_);
  layout->addWidget(warning_);
  layout->addWidget(charts_, 1);
}

void OverviewPage::setRun(std::shared_ptr<const RunModel> run) {
  const bool ok = run && run->ok();
  if (!ok || run->dir() != dir_) {
    dir_.clear();
    charts_->clear();
  }
  charts_->setSubject(ok ? run->display_name() : QString());
  const RunSummary summary = ok ? run_summary(*run) : RunSummary{};
  summary_->setText(summary.text);
  summary_->setVisible(!summary.text.isEmpty());
  warning_->setText(summary.warning);
  warning_->setVisible(!summary.warning.isEmpty());
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
