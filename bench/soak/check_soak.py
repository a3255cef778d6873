#!/usr/bin/env python3
"""The soak's verdict (bench/soak/run-soak writes its inputs into OUT):

  stock.tsv   coupon, total_stock, remaining_stock   (the server, after the run)
  rows.tsv    coupon, successful rows, all rows      (coupon_results, one line per shard)
  logs.tsv    coupon, stock_logs rows                (one line per shard)
  twice.tsv   user, coupon won twice                 (should be empty)
  run/stats.json                                     (the engine's result folder)
  rss.csv     elapsed_s, server_rss_kb, engine_rss_kb
  sanitizer/  ASan / UBSan / LeakSanitizer reports   (should be empty)

Prints what it found and exits 1 if anything is lost, doubled, crashed or reported.
"""
import argparse
import collections
import json
import os
import re
import statistics
import sys

GRAB_PREFIX = "/api/coupon/grab"
ENGINE_OK = {0, 1}  # 1: some requests failed (the restarts' 503s), judged below
MAX_RSS_GROWTH = 0.20  # "flat": end within 20 % of the warm-up level
# A failure the engine recorded with the answer's status ("HTTP 503", "expected status 200,
# got 500"): the server answered. Anything else (a timeout, a lost connection) was unanswered.
ANSWERED = re.compile(r"\b(HTTP|got) \d{3}\b")


def read_tsv(path, width):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == width:
                out.append([int(p) if p.lstrip("-").isdigit() else p for p in parts])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--engine-rc", type=int, required=True)
    ap.add_argument("--server-rc", type=int, required=True)
    ap.add_argument("--warmup-s", type=int, default=300)
    a = ap.parse_args()
    out = a.out
    problems = []

    # No crash.
    print(f"engine exit code {a.engine_rc}, server exit code {a.server_rc}")
    if a.engine_rc not in ENGINE_OK:
        problems.append(f"engine exited {a.engine_rc}")
    if a.server_rc != 0:
        problems.append(f"server exited {a.server_rc}")
    reports = sorted(os.listdir(os.path.join(out, "sanitizer")))
    print(f"sanitizer reports: {len(reports)} {reports if reports else ''}")
    if reports:
        problems.append(f"sanitizer reports in {out}/sanitizer: {', '.join(reports)}")

    # Nothing lost: stock taken = successful rows = stock_logs rows, per coupon.
    stock = {c: (total, remaining) for c, total, remaining in read_tsv(f"{out}/stock.tsv", 3)}
    succ, rows, logs = collections.Counter(), collections.Counter(), collections.Counter()
    for c, s, n in read_tsv(f"{out}/rows.tsv", 3):
        succ[c] += s
        rows[c] += n
    for c, n in read_tsv(f"{out}/logs.tsv", 2):
        logs[c] += n
    taken_total = 0
    mismatched = []
    for c, (total, remaining) in sorted(stock.items()):
        taken = total - remaining
        taken_total += taken
        if not (taken == succ[c] == logs[c]) or remaining < 0:
            mismatched.append(f"coupon {c}: stock taken {taken}, successful rows {succ[c]}, stock_logs {logs[c]}")
    unknown = set(rows) - set(stock)
    print(f"coupons: {len(stock)}; stock taken {taken_total}, successful rows {sum(succ.values())}, "
          f"stock_logs rows {sum(logs.values())}, all coupon_results rows {sum(rows.values())}")
    if not stock:
        problems.append("no coupons read from the server")
    if mismatched:
        problems.append(f"{len(mismatched)} coupons disagree: " + "; ".join(mismatched[:10]))
    if unknown:
        problems.append(f"rows for coupons the server does not know: {sorted(unknown)[:10]}")
    twice = read_tsv(f"{out}/twice.tsv", 2)
    print(f"users who won one coupon twice: {len(twice)}")
    if twice:
        problems.append(f"{len(twice)} (user, coupon) pairs won twice, e.g. {twice[:5]}")

    # Every grab the engine saw answered 200 left a row; a grab it did not see answered
    # (timed out, connection lost, cut at the stop) may or may not have one.
    with open(f"{out}/run/stats.json") as f:
        stats = json.load(f)
    grab_requests = grab_failures = 0
    for e in stats["endpoints"]:
        if e["name"].startswith(GRAB_PREFIX):
            grab_requests += e["requests"]
            grab_failures += e.get("failures", 0)
    unseen = 0
    by_error = collections.Counter()
    for fl in stats.get("failures", []):
        by_error[fl["error"]] += fl["occurrences"]
        if fl["name"].startswith(GRAB_PREFIX) and not ANSWERED.search(fl["error"]):
            unseen += fl["occurrences"]
    ok = grab_requests - grab_failures
    all_rows = sum(rows.values())
    print(f"engine: {stats['aggregated']['requests']} requests, {stats['aggregated'].get('failures', 0)} failed "
          f"({', '.join(f'{k}: {v}' for k, v in by_error.most_common(6)) or 'none'})")
    print(f"engine grabs answered 200: {ok}; coupon_results rows: {all_rows}; "
          f"grabs without an answer (timeouts, lost connections): {unseen}")
    if not (ok <= all_rows <= ok + unseen):
        problems.append(f"grabs answered 200 ({ok}) vs rows ({all_rows}): more than the {unseen} unanswered grabs explain")

    # Memory flat: the median of the first two minutes after warm-up vs the last two minutes.
    samples = read_tsv_csv(f"{out}/rss.csv")
    for col, who in ((1, "server"), (2, "engine")):
        base = [s[col] for s in samples if a.warmup_s <= s[0] < a.warmup_s + 120 and s[col]]
        end_t = samples[-1][0] if samples else 0
        last = [s[col] for s in samples if s[0] > end_t - 120 and s[col]]
        peak = max((s[col] for s in samples if s[col]), default=0)
        if not base or not last:
            problems.append(f"{who}: too few RSS samples to judge memory")
            continue
        b, e = statistics.median(base), statistics.median(last)
        growth = (e - b) / b
        print(f"{who} RSS: after warm-up {b / 1024:.0f} MiB, at the end {e / 1024:.0f} MiB "
              f"({growth * 100:+.1f} %), peak {peak / 1024:.0f} MiB, {len(samples)} samples")
        if growth > MAX_RSS_GROWTH:
            problems.append(f"{who} RSS grew {growth * 100:.1f} % after the warm-up")

    if problems:
        print("SOAK FAILED:")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("SOAK PASSED")
    return 0


def read_tsv_csv(path):
    rows = []
    with open(path) as f:
        next(f, None)
        for line in f:
            parts = line.strip().split(",")
            if len(parts) == 3 and parts[0].isdigit():
                rows.append([int(p) if p.isdigit() else 0 for p in parts])
    return rows


if __name__ == "__main__":
    sys.exit(main())
