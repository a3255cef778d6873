"""What one benchmark run measured, as one flat JSON record (bench/open-model).

Readers of the three kinds of output the scripts produce:
  - a stampede result folder (stats.json's aggregate, run.json's open_model and duration);
  - wrk's and wrk2's text output (wrk2 with --latency and -U: the corrected and the
    uncorrected percentile spectra);
  - a /usr/bin/time -f "%U %S %M" file (user s, sys s, max RSS KiB).
Latencies are in milliseconds throughout. A figure that is not there is None (JSON null),
never guessed.
"""
import json
import re

PERCENTILES = [("p50", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p999", 99.9), ("max", 100.0)]


def read_time(path):
    """(user_s, sys_s, max_rss_kib) from a /usr/bin/time file; None figures when absent."""
    try:
        with open(path) as f:
            lines = [l.split() for l in f if l.strip()]
    except OSError:
        return None, None, None
    for fields in reversed(lines):  # the last line; a killed child adds a line before it
        if len(fields) == 3:
            try:
                return float(fields[0]), float(fields[1]), int(fields[2])
            except ValueError:
                continue
    return None, None, None


def _latency(block):
    if not block:
        return None
    return {k: block.get(f"{k}_ms") for k in ("p50", "p90", "p95", "p99", "p999", "max", "avg")}


def stampede_record(run_dir):
    """The aggregate of a stampede result folder."""
    rec = {"requests": None, "failures": None, "dropped": None, "duration_s": None}
    try:
        stats = json.load(open(f"{run_dir}/stats.json"))["aggregated"]
        run = json.load(open(f"{run_dir}/run.json"))
    except (OSError, KeyError, ValueError) as e:
        rec["error"] = f"{run_dir}: {e}"
        return rec
    rec.update(requests=stats.get("requests"), failures=stats.get("failures"),
               dropped=stats.get("dropped", 0), duration_s=run.get("duration_s"),
               run_time_s=run.get("run_time_s"),
               latency=_latency(stats.get("latency")), service=_latency(stats.get("service")),
               stop_reason=run.get("stop_reason"), threads=run.get("threads"))
    om = run.get("open_model")
    if om:
        rec["open_model"] = {k: om.get(k) for k in (
            "arrival_rate", "arrivals", "max_users", "iterations_started", "dropped",
            "late_arrivals", "max_schedule_lag_ms", "total_schedule_lag_ms")}
    return rec


_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    return float(m.group(1)) * _UNITS_MS[m.group(2)] if m else None


def _spectrum_percentile(rows, q):
    """The first value whose cumulative fraction reaches q (0..1), from an HdrHistogram spectrum."""
    for value, fraction in rows:
        if fraction >= q - 1e-12:
            return value
    return rows[-1][0] if rows else None


def wrk_record(path):
    """wrk's or wrk2's output: requests, duration, errors; wrk2's percentile spectra."""
    rec = {"requests": None, "failures": None, "duration_s": None}
    try:
        text = open(path).read()
    except OSError as e:
        rec["error"] = str(e)
        return rec
    m = re.search(r"^\s*(\d+) requests in ([0-9.]+\w+),", text, re.M)
    if m:
        rec["requests"] = int(m.group(1))
        rec["duration_s"] = _ms(m.group(2)) / 1e3 if _ms(m.group(2)) is not None else None
    # wrk's "timeout" counts connections whose last request started more than --timeout ago
    # at each 2-s check, whether or not one is outstanding (wrk2 at a low rate per connection
    # counts idle ones): kept apart from the failures.
    failures = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        failures += sum(int(g) for g in m.groups()[:3])
        rec["timeouts"] = int(m.group(4))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        failures += int(m.group(1))
    rec["failures"] = failures if rec["requests"] is not None else None
    # wrk2's "Detailed Percentile spectrum" (values in ms): first the corrected histogram,
    # then (with -U) the uncorrected one.
    spectra, rows = [], None
    for line in text.splitlines():
        if "Detailed Percentile spectrum" in line:
            rows = []
            spectra.append(rows)
            continue
        if rows is None:
            continue
        fields = line.split()
        if len(fields) >= 3 and re.fullmatch(r"[0-9.]+", fields[0]) and re.fullmatch(r"[0-9.]+", fields[1]):
            rows.append((float(fields[0]), float(fields[1])))
        elif line.startswith("#[Max"):
            m = re.search(r"Max\s*=\s*([0-9.]+)", line)
            if m:
                rows.append((float(m.group(1)), 1.0))
        elif line.startswith("---") or line.startswith("  ") and "requests in" in line:
            rows = None
    names = ["latency", "service"]
    for name, rows in zip(names, spectra):
        if rows:
            rec[name] = {k: _spectrum_percentile(rows, q / 100.0) for k, q in PERCENTILES}
    if not spectra:  # wrk: "Latency Distribution" lines "50%  1.23ms" (with --latency)
        dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+([0-9.]+\w+)\s*$", text, re.M))
        if dist:
            rec["latency"] = {"p50": _ms(dist.get("50", "")), "p90": _ms(dist.get("90", "")),
                              "p99": _ms(dist.get("99", ""))}
    return rec


def with_cpu(rec, time_file):
    user, sys_, rss = read_time(time_file)
    rec.update(cpu_user_s=user, cpu_sys_s=sys_, max_rss_mib=round(rss / 1024, 1) if rss else None)
    req = rec.get("requests")
    rec["cpu_us_per_req"] = (round((user + sys_) / req * 1e6, 2)
                             if req and user is not None and sys_ is not None else None)
    # The achieved rate: requests over the run's scheduled length (stampede's -t, run.json
    # run_time_s), not over duration_s, which adds the end of the run (the last answers, the
    # result folder). wrk and wrk2: over the run time they print.
    dur = rec.get("run_time_s") or rec.get("duration_s")
    rec["achieved_rps"] = round(req / dur, 2) if req is not None and dur else None
    dur = rec.get("duration_s")
    rec["rps_over_duration"] = round(req / dur, 2) if req is not None and dur else None
    return rec
