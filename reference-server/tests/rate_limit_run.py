#!/usr/bin/env python3
"""The rate limit end to end (issue 17, "a scenario that exceeds it sees 429s at the
configured rate, within 5%"): stampede-server --rate-limit 50/s --rate-limit-burst 10
--rate-limit-by address on 127.0.0.1, and `stampede run` sending 200 arrivals a second for
10 s. The limiter must accept burst + rate x T of them (T: from the run's first request to its
last) within 5 %, answer the rest 429, and the engine must count those as rate limited, not
failed. A count, not a speed: it holds on a busy machine as long as the engine sends well
above the rate (checked first, with its own message). Bounded: the run stops itself after
10 s; the server is stopped by its pid.

usage: rate_limit_run.py STAMPEDE STAMPEDE_SERVER [--keep DIR]  (prints the measured numbers)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

RATE, BURST, ARRIVALS, SECONDS = 50, 10, 200, 10

SCENARIO = {
    "stampede_scenario": 1,
    "name": "rate-limit",
    "user_classes": [{"name": "Reader", "tasks": [
        {"request": {"method": "GET", "path": "/api/coupon/1/stock", "name": "stock"}}]}],
}


def start_server(server, data):
    proc = subprocess.Popen(
        [server, "--port", "0", "--data", data, "--users", "1000", "--rooms", "10", "--threads", "1",
         "--rate-limit", f"{RATE}/s", "--rate-limit-burst", str(BURST), "--rate-limit-by", "address"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    sys.exit("stampede-server did not start:\n" + "".join(seen))


def main():
    stampede, server = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="stampede-rate-limit-") as tmp:
        proc, url = start_server(server, os.path.join(tmp, "data"))
        try:
            scenario = os.path.join(tmp, "scenario.json")
            with open(scenario, "w") as f:
                json.dump(SCENARIO, f)
            out = os.path.join(tmp, "run")
            run = subprocess.run(
                [stampede, "run", "-f", scenario, "-H", url, "--arrival-rate", str(ARRIVALS), "-t", f"{SECONDS}s",
                 "--threads", "1", "--out", out, "--only-summary"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        with open(os.path.join(out, "stats.json")) as f:
            agg = json.load(f)["aggregated"]
    requests, failures = agg["requests"], agg.get("failures", 0)
    limited = agg.get("rate_limited", 0)
    accepted = requests - failures - limited
    span = agg["last_request_s"] - agg["first_request_s"]
    expected = BURST + RATE * span
    sent_rate = requests / span if span > 0 else 0
    print(f"sent {requests} in {span:.2f} s ({sent_rate:.1f}/s), accepted {accepted}, rate limited {limited}, "
          f"failed {failures}; expected accepted {BURST} + {RATE} x {span:.2f} = {expected:.1f} "
          f"({100 * (accepted - expected) / expected:+.2f} %); exit {run.returncode}")
    problems = []
    if run.returncode != 0:
        problems.append(f"stampede run exited {run.returncode} (429s are not failures: expected 0):\n{run.stdout}")
    if failures != 0:
        problems.append(f"{failures} failures: a 429 must count as rate limited, not failed")
    if sent_rate < 2 * RATE:
        problems.append(f"the engine sent only {sent_rate:.1f}/s, not well above the {RATE}/s limit: nothing to measure "
                        "(a machine too busy for this test?)")
    elif abs(accepted - expected) > 0.05 * expected:
        problems.append(f"accepted {accepted}, expected {expected:.1f} within 5 %")
    if problems:
        sys.exit("\n".join(problems))


if __name__ == "__main__":
    main()
