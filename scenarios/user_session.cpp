#include "scenarios/user_session.h"

#include <algorithm>

#include "scenarios/compiled.h"

namespace stampede::scenarios {

struct UserSession::State {
  std::vector<Value> slots;
  std::vector<std::int64_t> counters;
  const Task* task = nullptr;
  std::size_t step = 0;  // index of the step last returned by next()
  bool finished = true;
  enum class Phase { kSetup, kTasks, kTeardown } phase = Phase::kTasks;
  std::size_t hook_step = 0;  // the next on_start / on_stop request
  std::uint64_t skipped = 0;
  std::vector<std::uint32_t> skipped_endpoints;  // since the engine last took them
};

namespace {

constexpr int kTaskDraws = 100;

// The next request of `requests` from `index` whose `when` holds; skipped ones counted
// under their endpoints.
template <typename State>
const Request* next_runnable(const std::vector<Request>& requests, std::size_t& index, EvalContext& ctx,
                             State& st) {
  while (index < requests.size()) {
    const Request& r = requests[index++];
    if (!r.when || r.when->holds(ctx)) return &r;
    ++st.skipped;
    st.skipped_endpoints.push_back(r.endpoint_id);
  }
  return nullptr;
}

}  // namespace

UserSession::UserSession(const UserClass& user_class, Rng rng)
    : class_(&user_class), rng_(rng), state_(std::make_shared<State>()) {
  if (!class_->impl) return;  // a hand-made UserClass with no compiled tasks
  const UserClassImpl& impl = *class_->impl;
  state_->slots.resize(static_cast<std::size_t>(impl.slot_count));
  state_->counters.assign(static_cast<std::size_t>(impl.counter_count), 0);
  EvalContext ctx{state_->slots, state_->counters, rng_};
  for (const RecordBinding& b : impl.records) {
    // A unique source that ran out (more users than rows, past Scenario::check_users)
    // leaves the record's fields unset.
    const std::vector<Value>* row = b.source->take(rng_);
    if (row == nullptr) continue;
    for (std::size_t i = 0; i < b.slots.size() && i < row->size(); ++i) {
      state_->slots[static_cast<std::size_t>(b.slots[i])] = (*row)[i];
    }
  }
  for (const VarDef& v : impl.on_start) state_->slots[static_cast<std::size_t>(v.slot)] = v.expr.eval(ctx);
  if (!impl.start_requests.empty()) state_->phase = State::Phase::kSetup;
}

bool Condition::holds(EvalContext& ctx) const {
  auto text = [&ctx](const StringTemplate& t) {
    std::string out;
    t.render(ctx, out);
    const auto first = out.find_first_not_of(" \t");
    if (first == std::string::npos) return std::string();
    out = out.substr(first, out.find_last_not_of(" \t") - first + 1);
    if (out.size() >= 2 && (out.front() == '\'' || out.front() == '"') && out.back() == out.front()) {
      out = out.substr(1, out.size() - 2);
    }
    return out;
  };
  const std::string left = text(this->left);
  switch (op) {
    case Op::kTruthy: return !left.empty() && left != "0" && left != "false";
    case Op::kEquals: return left == text(right);
    case Op::kNotEquals: return left != text(right);
  }
  return true;
}

std::optional<TaskChoice> choose_task(const UserClass& user_class, double u) {
  if (!user_class.impl || user_class.impl->tasks.empty()) return std::nullopt;
  const UserClassImpl& impl = *user_class.impl;
  const std::size_t task = sample_cdf(impl.task_cdf, u);
  const std::vector<Request>& steps = impl.tasks[task].steps;
  return TaskChoice{task, steps.empty() ? 0 : steps.front().endpoint_id};
}

RequestRef UserSession::next() {
  State& st = *state_;
  if (st.task != nullptr && !st.finished) {
    EvalContext ctx{st.slots, st.counters, rng_};
    std::size_t index = st.step + 1;
    if (const Request* r = next_runnable(st.task->steps, index, ctx, st)) {
      st.step = index - 1;
      st.finished = index == st.task->steps.size();
      return RequestRef{r};
    }
    st.finished = true;
    st.task = nullptr;
    return RequestRef{};  // the rest of the sequence was skipped: the task is over
  }
  if (!class_->impl || class_->impl->tasks.empty()) return RequestRef{};
  for (int i = 0; i < kTaskDraws; ++i) {
    if (RequestRef ref = start_task(sample_cdf(class_->impl->task_cdf, rng_.uniform_real(0.0, 1.0)))) return ref;
  }
  return RequestRef{};
}

RequestRef UserSession::start_task(std::size_t task) {
  State& st = *state_;
  st.finished = true;
  st.task = nullptr;
  if (!class_->impl || task >= class_->impl->tasks.size()) return RequestRef{};
  const Task& t = class_->impl->tasks[task];
  EvalContext ctx{st.slots, st.counters, rng_};
  for (const VarDef& v : t.vars) st.slots[static_cast<std::size_t>(v.slot)] = v.expr.eval(ctx);
  if (t.when && !t.when->holds(ctx)) {
    ++st.skipped;  // under its first request's endpoint, as an open-model drop
    if (!t.steps.empty()) st.skipped_endpoints.push_back(t.steps.front().endpoint_id);
    return RequestRef{};
  }
  std::size_t index = 0;
  const Request* r = next_runnable(t.steps, index, ctx, st);
  if (r == nullptr) return RequestRef{};
  st.task = &t;
  st.step = index - 1;
  st.finished = index == t.steps.size();
  return RequestRef{r};
}

bool UserSession::in_setup() const { return state_->phase == State::Phase::kSetup; }

RequestRef UserSession::next_setup() {
  State& st = *state_;
  if (st.phase != State::Phase::kSetup) return RequestRef{};
  EvalContext ctx{st.slots, st.counters, rng_};
  if (const Request* r = next_runnable(class_->impl->start_requests, st.hook_step, ctx, st)) {
    st.finished = false;
    return RequestRef{r};
  }
  st.phase = State::Phase::kTasks;
  st.finished = true;
  return RequestRef{};
}

bool UserSession::setup_failed() {
  State& st = *state_;
  st.phase = State::Phase::kTasks;
  st.finished = true;
  return class_->impl->stop_on_start_failure;
}

bool UserSession::begin_teardown() {
  State& st = *state_;
  if (!class_->impl || class_->impl->stop_requests.empty() || st.phase == State::Phase::kTeardown) return false;
  st.phase = State::Phase::kTeardown;
  st.hook_step = 0;
  return true;
}

RequestRef UserSession::next_teardown() {
  State& st = *state_;
  if (st.phase != State::Phase::kTeardown) return RequestRef{};
  EvalContext ctx{st.slots, st.counters, rng_};
  st.finished = true;
  if (const Request* r = next_runnable(class_->impl->stop_requests, st.hook_step, ctx, st)) return RequestRef{r};
  return RequestRef{};
}

std::uint64_t UserSession::skipped() const { return state_->skipped; }

const std::vector<std::uint32_t>& UserSession::skipped_endpoints() const { return state_->skipped_endpoints; }

void UserSession::clear_skipped_endpoints() { state_->skipped_endpoints.clear(); }

bool UserSession::cookies() const { return !class_->impl || class_->impl->cookies; }

void UserSession::render(RequestRef ref, RenderedRequest& out) {
  const Request& r = *static_cast<const Request*>(ref.step);
  State& st = *state_;
  EvalContext ctx{st.slots, st.counters, rng_};
  out.endpoint_id = r.endpoint_id;
  out.method = r.method;
  out.timeout = r.timeout;
  out.follow_redirects = r.follow_redirects;
  out.honour_retry_after = r.honour_retry_after;

  out.target.clear();
  r.path.render(ctx, out.target);
  if (!r.query.empty()) {
    char sep = out.target.find('?') == std::string::npos ? '?' : '&';
    for (const QueryParam& q : r.query) {
      out.target += sep;
      sep = '&';
      out.target += q.encoded_name;
      out.target += '=';
      q.value.render(ctx, out.target, Escape::kUrl);
    }
  }

  // Resize, then overwrite: the strings keep their capacity from earlier requests.
  out.headers.resize(r.headers.size());
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    std::string& line = out.headers[i];
    const HeaderTemplate& h = r.headers[i];
    line.assign(h.name);
    line += ": ";
    line += h.prefix;
    if (h.base64) {
      std::string plain;
      h.value.render(ctx, plain);
      append_base64(plain, line);
    } else {
      h.value.render(ctx, line);
    }
  }

  out.body.clear();
  switch (r.body_kind) {
    case Request::BodyKind::kJson: r.json_body.render(ctx, out.body); break;
    case Request::BodyKind::kRaw: r.raw_body.render(ctx, out.body); break;
    case Request::BodyKind::kForm:
      for (std::size_t i = 0; i < r.form.size(); ++i) {
        if (i > 0) out.body += '&';
        out.body += r.form[i].encoded_name;
        out.body += '=';
        r.form[i].value.render(ctx, out.body, Escape::kUrl);
      }
      break;
    case Request::BodyKind::kMultipart:
      for (const MultipartPart& part : r.multipart) {
        out.body += "--";
        out.body += kMultipartBoundary;
        out.body += "\r\nContent-Disposition: form-data; name=\"";
        out.body += part.name;
        out.body += '"';
        if (part.file) {
          out.body += "; filename=\"";
          out.body += part.filename;
          out.body += "\"\r\nContent-Type: ";
          out.body += part.content_type;
          out.body += "\r\n\r\n";
          out.body += *part.file;
        } else {
          out.body += "\r\n\r\n";
          part.value.render(ctx, out.body);
        }
        out.body += "\r\n";
      }
      out.body += "--";
      out.body += kMultipartBoundary;
      out.body += "--\r\n";
      break;
    case Request::BodyKind::kNone: break;
  }
}

std::optional<std::string> UserSession::check(RequestRef ref, long status, std::string_view body) {
  Response response;
  response.status = status;
  response.body = body;
  return check(ref, response);
}

std::optional<std::string> UserSession::check(RequestRef ref, const Response& response) {
  return apply_checks(*static_cast<const Request*>(ref.step), response, state_->slots);
}

bool UserSession::needs_body(RequestRef ref) const {
  return static_cast<const Request*>(ref.step)->needs_body();
}

bool UserSession::task_finished() const { return state_->finished; }

std::chrono::nanoseconds UserSession::wait_after(std::chrono::nanoseconds task_elapsed) {
  const WaitTime& w = class_->wait;
  const double elapsed_s = std::chrono::duration<double>(task_elapsed).count();
  double seconds = 0;
  switch (w.kind) {
    case WaitTime::Kind::kNone: break;
    case WaitTime::Kind::kBetween: seconds = rng_.uniform_real(w.a_s, w.b_s); break;
    case WaitTime::Kind::kConstant: seconds = w.a_s; break;
    case WaitTime::Kind::kConstantPacing: seconds = w.a_s - elapsed_s; break;
    case WaitTime::Kind::kConstantThroughput: seconds = 1.0 / w.a_s - elapsed_s; break;
  }
  seconds = std::max(seconds, 0.0);
  return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
}

}  // namespace stampede::scenarios
