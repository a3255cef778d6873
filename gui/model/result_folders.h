// What kind of folder a path is, for the run list and File → Open: a run folder (holds
// run.json) or a lab folder (what `stampede lab` writes: results/labs/<ts>-lab/ holding
// lab.json and one run folder per strategy, e.g. hash/ range/ time/).
//
// Pure file-system look-ups (QDir/QFileInfo), no parsing; Qt Core only; any thread.
#pragma once

#include <QString>
#include <QStringList>

namespace stampede::gui {

// `dir` holds a run.json.
bool is_run_folder(const QString& dir);
// `dir` is not a run folder and either holds lab.json or has at least one run folder
// directly inside it.
bool is_lab_folder(const QString& dir);
// The run folders directly inside `dir`, sorted by name (full paths). Empty when none.
QStringList run_folders_in(const QString& dir);
// The lab folders directly inside `root` (e.g. results/labs), sorted by name (full paths).
QStringList lab_folders_in(const QString& root);
// The lab a run folder belongs to: the name of its parent folder when that parent holds
// lab.json; "" otherwise.
QString lab_of_folder(const QString& run_dir);

}  // namespace stampede::gui
