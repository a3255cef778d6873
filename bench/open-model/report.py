#!/usr/bin/env python3
"""bench/open-model/report.py: records and summaries of the issue-15 benchmark.

  report.py record stampede RUN_DIR TIME_FILE [key=value ...]   one JSON line on stdout
  report.py record wrk OUT_FILE TIME_FILE [key=value ...]       (wrk or wrk2 output)
  report.py summary stall|rates|cpu|https RECORDS.jsonl SUMMARY.json [key=value ...]

`record` turns one run into a flat JSON record (parse.py), with the key=value pairs added
(numbers stay numbers). `summary` prints the benchmark's table and its verdicts against
issue 15's targets, and writes them (records included) as SUMMARY.json. A verdict is
"pass", "FAIL" or "n/a" (a figure missing: a tool absent or a run that failed).
"""
import json
import sys

import parse


def _value(text):
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text


def _pairs(args):
    out = {}
    for a in args:
        key, sep, val = a.partition("=")
        if not sep:
            sys.exit(f"report.py: '{a}' is not key=value")
        out[key] = _value(val)
    return out


def _fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _table(headers, rows):
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths))))
    for r in rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))


def _verdict(ok):
    return "n/a" if ok is None else ("pass" if ok else "FAIL")


def _get(rec, *path):
    for p in path:
        if not isinstance(rec, dict):
            return None
        rec = rec.get(p)
    return rec


def summary_stall(records, params):
    """Fidelity: open-model p95/p99 from the intended start against the analytic truth."""
    stall_s = params.get("stall_s_measured") or params.get("stall_s")
    duration = params["duration_s"]
    rate = params["rate"]

    def truth(q):  # arrivals even at `rate`: those due in the stall wait (0, stall]
        return max(0.0, stall_s - (1 - q) * duration) * 1e3 if stall_s else None

    print(f"stall {stall_s:.3f} s at {params.get('stall_at_s')} s into a {duration:g} s run at {rate:g}/s")
    print(f"analytic truth (intended start, even arrivals): p95 {truth(0.95):.0f} ms, "
          f"p99 {truth(0.99):.0f} ms, max {stall_s * 1e3:.0f} ms")
    users = params.get("closed_users")
    if users:
        print(f"closed model: {users} users, so about {users} requests of {rate * duration:,.0f} are caught "
              f"in the stall (the top {100 * users / (rate * duration):.2f} %: above p99 when under 1 %)")
    headers = ["run", "requests", "fail", "drop", "req/s", "p50", "p90", "p95", "p99", "p99.9", "max",
               "svc p50", "svc p95", "svc p99", "svc max", "max lag"]
    rows = []
    for r in records:
        lat, svc = r.get("latency") or {}, r.get("service") or {}
        if not svc and r["tool"] == "stampede-closed":
            svc = lat  # the closed model keeps one histogram: both figures are the same
        rows.append([r["tool"], _fmt(r.get("requests")), _fmt(r.get("failures")), _fmt(r.get("dropped")),
                     _fmt(r.get("achieved_rps")), *(_fmt(lat.get(k)) for k in ("p50", "p90", "p95", "p99", "p999", "max")),
                     *(_fmt(svc.get(k)) for k in ("p50", "p95", "p99", "max")),
                     _fmt(_get(r, "open_model", "max_schedule_lag_ms"))])
    print("(latencies in ms; 'svc' = service time from the actual send: stampede's service "
          "histogram, wrk2's uncorrected one)")
    _table(headers, rows)
    by = {r["tool"]: r for r in records}
    open_ = by.get("stampede-open", {})
    closed = by.get("stampede-closed", {})
    p95, p99 = _get(open_, "latency", "p95"), _get(open_, "latency", "p99")
    ach = open_.get("achieved_rps")
    started = _get(open_, "open_model", "iterations_started")
    checks = {
        "open p95 >= 400 ms": None if p95 is None else p95 >= 400,
        "open p99 >= 400 ms": None if p99 is None else p99 >= 400,
        "open achieved rate within 1 % of the rate": None if ach is None else abs(ach / rate - 1) <= 0.01,
        "open arrivals started within 1 % of rate x duration":
            None if started is None else abs(started / (rate * duration) - 1) <= 0.01,
        "open service p50 < 10 ms (the stall leaves the median service time alone)":
            None if _get(open_, "service", "p50") is None else open_["service"]["p50"] < 10,
        "closed p99 < 100 ms and max >= 0.9 x stall (the stall only in its max)":
            None if _get(closed, "latency", "p99") is None else
            (closed["latency"]["p99"] < 100 and (closed["latency"]["max"] or 0) >= 900 * stall_s),
    }
    return {"analytic_ms": {"p95": truth(0.95), "p99": truth(0.99), "max": stall_s * 1e3}}, checks


def summary_rates(records, params):
    headers = ["rate/s", "requests", "fail", "drop", "started", "due", "achieved/s", "error %",
               "late", "max lag ms", "total lag ms", "CPU-us/req", "verdict"]
    rows, checks = [], {}
    for r in records:
        rate, dur = r["rate"], params["duration_s"]
        ach = r.get("achieved_rps")
        err = (ach / rate - 1) * 100 if ach is not None else None
        ok = None if err is None else abs(err) <= 1.0
        r["error_pct"] = round(err, 3) if err is not None else None
        checks[f"{rate:g}/s achieved within 1 %"] = ok
        om = r.get("open_model") or {}
        rows.append([_fmt(rate), _fmt(r.get("requests")), _fmt(r.get("failures")), _fmt(r.get("dropped")),
                     _fmt(om.get("iterations_started")), _fmt(int(rate * dur)), _fmt(ach),
                     _fmt(err, 2), _fmt(om.get("late_arrivals")), _fmt(om.get("max_schedule_lag_ms")),
                     _fmt(om.get("total_schedule_lag_ms")), _fmt(r.get("cpu_us_per_req"), 2), _verdict(ok)])
    print("achieved/s = requests / the run's -t (run.json run_time_s); due = rate x duration")
    _table(headers, rows)
    return {}, checks


def _ratio_rows(records, pairs, limit, label):
    """Rows of (a, b) records compared by CPU per request: a / b <= limit."""
    headers = ["run", "rate/s", "requests", "fail", "achieved/s", "user s", "sys s", "CPU-us/req", "RSS MiB"]
    rows = [[r["tool"], _fmt(r.get("rate")), _fmt(r.get("requests")), _fmt(r.get("failures")),
             _fmt(r.get("achieved_rps")), _fmt(r.get("cpu_user_s"), 2), _fmt(r.get("cpu_sys_s"), 2),
             _fmt(r.get("cpu_us_per_req"), 2), _fmt(r.get("max_rss_mib"))] for r in records]
    _table(headers, rows)
    checks, ratios = {}, {}
    for name, a, b in pairs:
        ca, cb = (a or {}).get("cpu_us_per_req"), (b or {}).get("cpu_us_per_req")
        ratio = ca / cb if ca and cb else None
        ratios[name] = round(ratio, 3) if ratio else None
        print(f"{name}: {_fmt(ratio, 2)}x (target <= {limit}x)")
        checks[f"{name} <= {limit}x {label}"] = None if ratio is None else ratio <= limit
    return {"ratios": ratios}, checks


def summary_cpu(records, params):
    pairs = []
    for rate in sorted({r["rate"] for r in records}):
        o = next((r for r in records if r["rate"] == rate and r["tool"] == "stampede-open"), None)
        c = next((r for r in records if r["rate"] == rate and r["tool"] == "stampede-closed"), None)
        pairs.append((f"open / closed CPU per request at {rate:g}/s", o, c))
    extra, checks = _ratio_rows(records, pairs, 1.2, "")
    # The ratio compares like with like only when both runs reached the rate.
    for r in records:
        ach = r.get("achieved_rps")
        checks[f"{r['tool']} reached {r['rate']:g}/s within 2 %"] = (
            None if ach is None else abs(ach / r["rate"] - 1) <= 0.02)
    return extra, checks


def summary_https(records, params):
    by = {r["tool"]: r for r in records}
    pairs = [("stampede https / wrk https CPU per request", by.get("stampede-https"), by.get("wrk-https"))]
    return _ratio_rows(records, pairs, 1.3, "")


def _say_failed_runs(records):
    """A run that crashed or left no result is said, not only shown as '-'."""
    for r in records:
        code, err = r.get("exit"), r.get("error")
        crashed = isinstance(code, int) and code >= 128
        if crashed or err or (isinstance(code, int) and code not in (0, 1)):
            what = f"exit {code}" + (f" (signal {code - 128})" if crashed else "")
            where = f" at {r['rate']:g}/s" if isinstance(r.get("rate"), (int, float)) else ""
            print(f"  ! {r.get('tool')}{where}: {what}" + (f"; {err}" if err else ""))


SUMMARIES = {"stall": summary_stall, "rates": summary_rates, "cpu": summary_cpu, "https": summary_https}


def main(argv):
    if len(argv) >= 4 and argv[1] == "record" and argv[2] in ("stampede", "wrk"):
        rec = parse.stampede_record(argv[3]) if argv[2] == "stampede" else parse.wrk_record(argv[3])
        parse.with_cpu(rec, argv[4] if len(argv) > 4 else "")
        rec = {**_pairs(argv[5:]), **rec}
        print(json.dumps(rec, sort_keys=True))
        return 0
    if len(argv) >= 5 and argv[1] == "summary" and argv[2] in SUMMARIES:
        with open(argv[3]) as f:
            records = [json.loads(l) for l in f if l.strip()]
        params = _pairs(argv[5:])
        extra, checks = SUMMARIES[argv[2]](records, params)
        _say_failed_runs(records)
        print()
        for name, ok in checks.items():
            print(f"  [{_verdict(ok)}] {name}")
        summary = {"benchmark": argv[2], "params": params, **extra,
                   "checks": {k: _verdict(v) for k, v in checks.items()}, "records": records}
        with open(argv[4], "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
        print(f"summary: {argv[4]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
