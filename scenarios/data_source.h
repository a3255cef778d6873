// DataSource: a named table of test data (scenario "data"), loaded and validated once
// before any load, shared read-only by every thread. Rows come from a CSV file (header row
// = column names) or a JSON array of objects (the first object's keys = column names).
//
// A user takes a row at its start (`"account": "next(accounts)"` in on_start) by the
// source's pick rule: kUnique (each user its own row; running out is refused before the
// run by Scenario::check_users), kCycle (rows in order, again from the first), kRandom (a
// row drawn with the user's seeded Rng). take() is the only thing that changes, an atomic
// counter: thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/value.h"

namespace stampede::scenarios {

class Rng;

class DataSource {
 public:
  enum class Pick { kUnique, kCycle, kRandom };

  // Reads `file` (CSV unless it ends in ".json"). On a problem returns std::nullopt and sets
  // `error` to a message naming the file and, for bad content, the line and column.
  static std::optional<DataSource> load(const std::filesystem::path& file, std::string& error);
  // The same from text (tests; `name` stands for the file in messages).
  static std::optional<DataSource> from_csv(std::string_view text, const std::string& name, std::string& error);
  static std::optional<DataSource> from_json(std::string_view text, const std::string& name, std::string& error);

  DataSource() = default;
  DataSource(const DataSource& other);
  DataSource& operator=(const DataSource&) = delete;

  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t size() const { return rows_.size(); }
  Pick pick = Pick::kUnique;

  // The row the next user takes, or nullptr when a unique source has run out.
  const std::vector<Value>* take(Rng& rng) const;
  const std::vector<Value>& row(std::size_t i) const { return rows_[i]; }

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Value>> rows_;
  mutable std::atomic<std::size_t> next_{0};
};

}  // namespace stampede::scenarios
