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
};

UserSession::UserSession(const UserClass& user_class, Rng rng)
    : class_(&user_class), rng_(rng), state_(std::make_shared<State>()) {
  if (!class_->impl) return;  // a hand-made UserClass with no compiled tasks
  const UserClassImpl& impl = *class_->impl;
  state_->slots.resize(static_cast<std::size_t>(impl.slot_count));
  state_->counters.assign(static_cast<std::size_t>(impl.counter_count), 0);
  EvalContext ctx{state_->slots, state_->counters, rng_};
  for (const VarDef& v : impl.on_start) state_->slots[static_cast<std::size_t>(v.slot)] = v.expr.eval(ctx);
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
  if (st.task != nullptr && st.step + 1 < st.task->steps.size()) {
    ++st.step;
    st.finished = st.step + 1 == st.task->steps.size();
    return RequestRef{&st.task->steps[st.step]};
  }
  if (!class_->impl || class_->impl->tasks.empty()) return RequestRef{};
  return start_task(sample_cdf(class_->impl->task_cdf, rng_.uniform_real(0.0, 1.0)));
}

RequestRef UserSession::start_task(std::size_t task) {
  State& st = *state_;
  if (!class_->impl || task >= class_->impl->tasks.size()) return RequestRef{};
  st.task = &class_->impl->tasks[task];
  st.step = 0;
  EvalContext ctx{st.slots, st.counters, rng_};
  for (const VarDef& v : st.task->vars) st.slots[static_cast<std::size_t>(v.slot)] = v.expr.eval(ctx);
  st.finished = st.step + 1 == st.task->steps.size();
  return RequestRef{&st.task->steps[st.step]};
}

void UserSession::render(RequestRef ref, RenderedRequest& out) {
  const Request& r = *static_cast<const Request*>(ref.step);
  State& st = *state_;
  EvalContext ctx{st.slots, st.counters, rng_};
  out.endpoint_id = r.endpoint_id;
  out.method = r.method;
  out.timeout = r.timeout;

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
    line.assign(r.headers[i].name);
    line += ": ";
    r.headers[i].value.render(ctx, line);
  }

  out.body.clear();
  switch (r.body_kind) {
    case Request::BodyKind::kJson: r.json_body.render(ctx, out.body); break;
    case Request::BodyKind::kRaw: r.raw_body.render(ctx, out.body); break;
    case Request::BodyKind::kNone: break;
  }
}

std::optional<std::string> UserSession::check(RequestRef ref, long status, std::string_view body) {
  return apply_checks(*static_cast<const Request*>(ref.step), status, body, state_->slots);
}

bool UserSession::needs_body(RequestRef ref) const {
  return static_cast<const Request*>(ref.step)->needs_json();
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
