// Scenario: loading, filtering, user distribution and load shapes. Parsing and validation
// live in scenario_parser.cpp / request_parser.cpp.
#include "scenarios/scenario.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>

#include "scenarios/compiled.h"
#include "scenarios/json_limits.h"
#include "scenarios/limits.h"
#include "scenarios/scenario_parser.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

std::string join_problems(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += p.to_string();
  }
  return out;
}

}  // namespace

std::string Problem::to_string() const {
  if (json_path.empty()) return file + ": " + message;
  return file + ": " + json_path + ": " + message;
}

ScenarioError::ScenarioError(std::vector<Problem> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

Scenario Scenario::load(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  auto cannot_read = [&] {
    std::error_code ec;
    const bool exists = std::filesystem::exists(file, ec);
    const bool is_dir = exists && std::filesystem::is_directory(file, ec);
    return ScenarioError({{name, "", !exists ? "cannot read file: no such file"
                                     : is_dir ? "cannot read file: it is a directory"
                                              : "cannot read file: permission denied or unreadable"}});
  };
  if (!in) throw cannot_read();
  // Read in blocks and stop past the limit: the "file" may be a pipe or /dev/zero.
  std::string text;
  std::array<char, 64 * 1024> block;
  while (in.read(block.data(), block.size()) || in.gcount() > 0) {
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioFileBytes) {
      throw ScenarioError({{name, "", "the file is larger than " + std::to_string(kMaxScenarioFileBytes >> 20) +
                                          " MiB (the limit for scenario files)"}});
    }
  }
  if (in.bad()) throw cannot_read();  // a directory opens, but reading it fails
  return parse_text(text, name);
}

Scenario Scenario::parse_text(std::string_view json_text, const std::string& file_name) {
  return parse(parse_json_within_limits(json_text, file_name), file_name);
}

Scenario Scenario::parse(const nlohmann::json& doc, const std::string& file_name) {
  check_json_depth(doc, file_name);  // before anything copies or walks it recursively
  Scenario scenario = ScenarioParser(file_name).parse(doc);
  scenario.file_ = file_name;
  return scenario;
}

void Scenario::check_users(int users) const {
  const std::vector<int> counts = distribute_users(classes_, users);
  struct Use {
    const DataSource* source;
    std::string name;
    long long users = 0;
  };
  std::vector<Use> uses;
  for (std::size_t c = 0; c < classes_.size() && c < counts.size(); ++c) {
    if (!classes_[c].impl) continue;
    for (const RecordBinding& b : classes_[c].impl->records) {
      if (b.source->pick != DataSource::Pick::kUnique) continue;
      auto it = std::find_if(uses.begin(), uses.end(), [&](const Use& u) { return u.source == b.source.get(); });
      if (it == uses.end()) {
        uses.push_back({b.source.get(), b.source_name, 0});
        it = uses.end() - 1;
      }
      it->users += counts[c];
    }
  }
  std::vector<Problem> problems;
  for (const Use& u : uses) {
    if (u.users <= static_cast<long long>(u.source->size())) continue;
    problems.push_back({file_, "/data/" + u.name,
                        "data source '" + u.name + "' has " + std::to_string(u.source->size()) +
                            " rows and pick \"unique\", but the run starts " + std::to_string(u.users) +
                            " users taking a row each (add rows, run fewer users, or use \"pick\": \"cycle\")"});
  }
  if (!problems.empty()) throw ScenarioError(problems);
}

Scenario Scenario::filtered(const std::vector<std::string>& class_names,
                            const std::vector<std::string>& tags) const {
  std::vector<Problem> problems;
  for (const auto& wanted : class_names) {
    const bool known = std::any_of(classes_.begin(), classes_.end(),
                                   [&](const UserClass& c) { return c.name == wanted; });
    if (known) continue;
    std::vector<std::string> names;
    for (const UserClass& c : classes_) names.push_back(c.name);
    std::string all;
    for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
    problems.push_back({file_, "", "--user-classes: no user class named '" + wanted + "'" +
                                       did_you_mean(wanted, names) + " (the scenario has: " + all + ")"});
  }
  if (!problems.empty()) throw ScenarioError(problems);

  auto has_any_tag = [&](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    for (const auto& t : tags) {
      if (std::find(a.begin(), a.end(), t) != a.end() || std::find(b.begin(), b.end(), t) != b.end()) {
        return true;
      }
    }
    return false;
  };

  Scenario out = *this;
  out.classes_.clear();
  std::vector<Endpoint> endpoints;
  std::vector<std::int64_t> remap(endpoints_.size(), -1);
  for (const UserClass& cls : classes_) {
    if (!class_names.empty() &&
        std::find(class_names.begin(), class_names.end(), cls.name) == class_names.end()) {
      continue;
    }
    auto impl = std::make_shared<UserClassImpl>(*cls.impl);
    if (!tags.empty()) {
      std::erase_if(impl->tasks, [&](const Task& t) { return !has_any_tag(cls.tags, t.tags); });
    }
    const double total = std::accumulate(impl->tasks.begin(), impl->tasks.end(), 0.0,
                                         [](double s, const Task& t) { return s + t.weight; });
    if (impl->tasks.empty() || !(total > 0)) continue;
    // Endpoint ids stay dense over what is left, in first-seen order.
    for (Task& task : impl->tasks) {
      for (Request& r : task.steps) {
        auto& id = remap[r.endpoint_id];
        if (id < 0) {
          id = static_cast<std::int64_t>(endpoints.size());
          endpoints.push_back(endpoints_[r.endpoint_id]);
        }
        r.endpoint_id = static_cast<std::uint32_t>(id);
      }
    }
    impl->rebuild_cdf();
    UserClass copy = cls;
    copy.impl = std::move(impl);
    out.classes_.push_back(std::move(copy));
  }
  if (out.classes_.empty()) {
    throw ScenarioError({{name_, "", "nothing left to run after filtering by class and tag"}});
  }
  out.endpoints_ = std::move(endpoints);
  return out;
}

void UserClassImpl::rebuild_cdf() {
  task_cdf.clear();
  double total = 0;
  for (const Task& t : tasks) total += t.weight;
  double running = 0;
  for (const Task& t : tasks) task_cdf.push_back(total > 0 ? (running += t.weight) / total : 1.0);
  if (!task_cdf.empty()) task_cdf.back() = 1.0;
}

std::optional<std::pair<int, double>> LoadShape::at(double elapsed_s) const {
  auto it = std::upper_bound(stages.begin(), stages.end(), elapsed_s,
                             [](double t, const LoadStage& s) { return t < s.until_s; });
  if (it == stages.end()) return std::nullopt;
  return std::make_pair(it->users, it->spawn_rate);
}

double ArrivalShape::peak_rate() const {
  double peak = 0;
  for (const RateStage& s : stages) peak = std::max({peak, s.from_rate, s.to_rate});
  return peak;
}

std::optional<double> ArrivalShape::rate_at(double elapsed_s) const {
  auto it = std::upper_bound(stages.begin(), stages.end(), elapsed_s,
                             [](double t, const RateStage& s) { return t < s.until_s; });
  if (it == stages.end() || elapsed_s < 0) return std::nullopt;
  const double from_s = it == stages.begin() ? 0 : std::prev(it)->until_s;
  const double f = (elapsed_s - from_s) / (it->until_s - from_s);
  return it->from_rate + (it->to_rate - it->from_rate) * f;
}

double ArrivalShape::expected_arrivals() const {
  double total = 0, from_s = 0;
  for (const RateStage& s : stages) {
    total += (s.from_rate + s.to_rate) / 2 * (s.until_s - from_s);
    from_s = s.until_s;
  }
  return total;
}

std::vector<int> distribute_users(const std::vector<UserClass>& classes, int total) {
  std::vector<int> counts(classes.size(), 0);
  int left = std::max(total, 0);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (!classes[i].fixed_count) continue;
    counts[i] = std::min(*classes[i].fixed_count, left);
    left -= counts[i];
  }
  std::vector<std::size_t> weighted;
  double weight_sum = 0;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    if (classes[i].fixed_count || !(classes[i].weight > 0)) continue;
    weighted.push_back(i);
    weight_sum += classes[i].weight;
  }
  if (weighted.empty() || left == 0) return counts;

  // Largest remainder: floors first, then one more user each to the biggest remainders
  // (earlier classes win ties).
  std::vector<std::pair<double, std::size_t>> remainders;
  int given = 0;
  for (std::size_t i : weighted) {
    const double quota = left * classes[i].weight / weight_sum;
    counts[i] = static_cast<int>(std::floor(quota));
    given += counts[i];
    remainders.emplace_back(quota - counts[i], i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < left; ++k, ++given) ++counts[remainders[k % remainders.size()].second];

  // Like Locust: when there are enough users, every weighted class gets at least one,
  // taken from the class with the most users per unit of weight.
  if (left >= static_cast<int>(weighted.size())) {
    for (std::size_t i : weighted) {
      if (counts[i] > 0) continue;
      // Only a class with two or more users can give one away (and still keep one).
      std::size_t donor = i;
      for (std::size_t j : weighted) {
        if (counts[j] < 2) continue;
        if (donor == i || counts[j] / classes[j].weight > counts[donor] / classes[donor].weight) donor = j;
      }
      if (donor == i) break;
      --counts[donor];
      ++counts[i];
    }
  }
  return counts;
}

}  // namespace stampede::scenarios
