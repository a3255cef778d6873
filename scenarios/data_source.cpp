#include "scenarios/data_source.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scenarios/limits.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Line and column (both 1-based) of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

DataSource::DataSource(const DataSource& other)
    : pick(other.pick), columns_(other.columns_), rows_(other.rows_), next_(other.next_.load()) {}

std::optional<DataSource> DataSource::load(const std::filesystem::path& file, std::string& error) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    error = name + ": cannot read data file: " +
            (std::filesystem::exists(file, ec) ? "not a regular file" : "no such file");
    return std::nullopt;
  }
  if (std::filesystem::file_size(file, ec) > kMaxDataFileBytes) {
    error = name + ": the data file is larger than " + std::to_string(kMaxDataFileBytes >> 20) +
            " MiB (the limit for data files)";
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    error = name + ": cannot read data file";
    return std::nullopt;
  }
  return file.extension() == ".json" ? from_json(text.str(), name, error) : from_csv(text.str(), name, error);
}

// RFC 4180: fields separated by ',', records by LF or CRLF, a field in double quotes may
// hold ',', quotes (doubled) and line breaks. A blank line at the end is no record.
std::optional<DataSource> DataSource::from_csv(std::string_view text, const std::string& name,
                                               std::string& error) {
  DataSource out;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  std::size_t record_line = 1;
  auto fail = [&](std::size_t at, const std::string& what) {
    auto [line, column] = line_column(text, at);
    error = name + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
    return std::nullopt;
  };
  auto end_record = [&](std::size_t at) -> bool {
    if (out.columns_.empty()) {
      for (const auto& c : record) {
        if (c.empty()) {
          fail(at, "an empty column name in the header row");
          return false;
        }
      }
      out.columns_ = record;
    } else if (record.size() != out.columns_.size()) {
      error = name + ": line " + std::to_string(record_line) + ": expected " + std::to_string(out.columns_.size()) +
              " fields (" + join(out.columns_) + "), got " + std::to_string(record.size());
      return false;
    } else {
      std::vector<Value> row;
      row.reserve(record.size());
      for (auto& f : record) row.push_back(Value::of_string(std::move(f)));
      out.rows_.push_back(std::move(row));
    }
    record.clear();
    return true;
  };
  if (text.starts_with("\xEF\xBB\xBF")) i = 3;  // a UTF-8 byte order mark
  while (i < text.size()) {
    // One record: fields until a line break or the end.
    record_line = line_column(text, i).first;
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      // A blank line: allowed only at the end.
      std::size_t j = i;
      while (j < text.size() && (text[j] == '\r' || text[j] == '\n')) ++j;
      if (j == text.size()) break;
      return fail(i, "a blank line inside the data (every record needs its fields)");
    }
    while (true) {
      field.clear();
      if (i < text.size() && text[i] == '"') {
        const std::size_t open = i++;
        while (true) {
          if (i >= text.size()) return fail(open, "a quoted field is not closed");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return fail(i, "unexpected text after a quoted field (expected ',' or a line break)");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"') return fail(i, "a quote inside an unquoted field (quote the whole field)");
          field += text[i++];
        }
      }
      record.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    if (!end_record(i)) return std::nullopt;
  }
  if (out.columns_.empty()) {
    error = name + ": the data file is empty (expected a header row naming the columns)";
    return std::nullopt;
  }
  if (out.rows_.empty()) {
    error = name + ": no rows after the header row";
    return std::nullopt;
  }
  return out;
}

std::optional<DataSource> DataSource::from_json(std::string_view text, const std::string& name,
                                                std::string& error) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    std::size_t at = text.size();
    if (const auto* p = dynamic_cast<const nlohmann::json::parse_error*>(&e); p != nullptr && p->byte > 0) {
      at = p->byte - 1;
    }
    auto [line, column] = line_column(text, at);
    error = name + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_array() || doc.empty()) {
    error = name + ": expected a non-empty JSON array of objects (one per row)";
    return std::nullopt;
  }
  DataSource out;
  for (std::size_t r = 0; r < doc.size(); ++r) {
    const auto& row = doc[r];
    const std::string where = name + ": [" + std::to_string(r) + "]: ";
    if (!row.is_object()) {
      error = where + "expected an object, got " + row.dump();
      return std::nullopt;
    }
    if (r == 0) {
      for (const auto& [key, v] : row.items()) out.columns_.push_back(key);
      if (out.columns_.empty()) {
        error = where + "expected an object with at least one key";
        return std::nullopt;
      }
    }
    std::vector<Value> values;
    for (const auto& column : out.columns_) {
      if (!row.contains(column)) {
        error = where + "missing key '" + column + "' (every row needs " + join(out.columns_) + ")";
        return std::nullopt;
      }
      values.push_back(value_from_json(row[column]));
    }
    if (row.size() != out.columns_.size()) {
      for (const auto& [key, v] : row.items()) {
        if (std::find(out.columns_.begin(), out.columns_.end(), key) == out.columns_.end()) {
          error = where + "unknown key '" + key + "' (the first row has " + join(out.columns_) + ")";
          return std::nullopt;
        }
      }
    }
    out.rows_.push_back(std::move(values));
  }
  return out;
}

const std::vector<Value>* DataSource::take(Rng& rng) const {
  if (rows_.empty()) return nullptr;
  switch (pick) {
    case Pick::kUnique: {
      const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
      return i < rows_.size() ? &rows_[i] : nullptr;
    }
    case Pick::kCycle:
      return &rows_[next_.fetch_add(1, std::memory_order_relaxed) % rows_.size()];
    case Pick::kRandom:
      return &rows_[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(rows_.size()) - 1))];
  }
  return nullptr;
}

}  // namespace stampede::scenarios
