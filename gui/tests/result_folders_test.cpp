#include "gui/model/result_folders.h"

#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"

namespace stampede::gui {
namespace {

TEST(ResultFolders, TellsRunFoldersFromLabFolders) {
  const QString lab = testing::lab_folder();
  const QString hash = testing::lab_run("hash");
  EXPECT_TRUE(is_run_folder(hash));
  EXPECT_FALSE(is_lab_folder(hash));
  EXPECT_TRUE(is_lab_folder(lab));
  EXPECT_FALSE(is_run_folder(lab));
  EXPECT_EQ(run_folders_in(lab), (QStringList{hash, testing::lab_run("range"), testing::lab_run("time")}));
  // gui/tests/fixtures as a results/labs root: the lab, not the plain run folders beside it.
  EXPECT_EQ(lab_folders_in(testing::fixture("gui/tests/fixtures")), QStringList{lab});
  EXPECT_EQ(lab_of_folder(testing::lab_run("range")), QLatin1String(testing::kLabName));
  EXPECT_EQ(lab_of_folder(testing::lab_run("range") + QStringLiteral("/")), QLatin1String(testing::kLabName));
  EXPECT_EQ(lab_of_folder(testing::hash_run()), QString());  // gui/tests/fixtures has no lab.json
  EXPECT_FALSE(is_lab_folder(lab + QStringLiteral("/missing")));
  // A folder of run folders without lab.json (e.g. results/runs) also opens as a group.
  EXPECT_TRUE(is_lab_folder(testing::fixture("gui/tests/fixtures")));
  EXPECT_FALSE(is_lab_folder(testing::fixture("gui/model")));
}

}  // namespace
}  // namespace stampede::gui
