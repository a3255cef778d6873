#!/usr/bin/env python3
"""Writes the seed corpora of fuzz/corpus/<target>/ from the shipped scenarios, the test
fixtures and the committed result folders (fuzz/README.md, "Corpora"). Run from anywhere;
it replaces the generated seeds (files named seed-*) and leaves any other file alone.
Name targets to rewrite only theirs.

    fuzz/make_seeds.py [TARGET...]
"""
import glob
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def rel(*parts):
    return os.path.join(ROOT, *parts)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write_seeds(target, seeds):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "seed-*")):
        os.remove(old)
    seen = set()
    for data in seeds:
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        with open(os.path.join(folder, "seed-" + digest[:16]), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seen)} seeds")


def scenario_files():
    files = sorted(glob.glob(rel("scenarios", "*.json")) + glob.glob(rel("scenarios", "examples", "*.json"))
                   + glob.glob(rel("scenarios", "tests", "fixtures", "invalid", "*.json"))
                   + glob.glob(rel("bench", "*.json")) + glob.glob(rel("bench", "server", "*.json"))
                   + glob.glob(rel("gui", "tests", "fixtures", "*.json")))
    return [f for f in files if b"stampede_scenario" in read(f)]


def strings_in(node, key=""):
    """(key, string) for every string value of a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings_in(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from strings_in(v, key)
    elif isinstance(node, str):
        yield key, node


def expressions_in(node):
    """The expressions of on_start and vars blocks."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("on_start", "vars") and isinstance(v, dict):
                yield from (e for e in v.values() if isinstance(e, str))
            else:
                yield from expressions_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from expressions_in(v)


# Short arrival_rate shapes (ramp, pause, step; one that starts no arrival), put into the
# shipped open-model example: short enough that the target follows each schedule to its end.
ARRIVAL_SHAPES = [
    {"start_rate": 3, "stages": [{"duration": "2s", "target": 20}, {"duration": "1s", "rate": 0},
                                 {"duration": "500ms", "rate": 7}, {"duration": "1s", "target": 0}]},
    {"stages": [{"duration": "3s", "rate": 10.5}]},
    {"stages": [{"duration": "1s", "target": 1.5}]},
]


def scenario_seeds():
    seeds = [read(f) for f in scenario_files()]
    example = json.loads(read(rel("scenarios", "examples", "arrival-rate-ramp.json")))
    for shape in ARRIVAL_SHAPES:
        example["load_shape"] = {"arrival_rate": shape}
        seeds.append(json.dumps(example, indent=1).encode())
    return seeds


def template_seeds():
    # The first byte picks the form: '0' plain, '1' URL-escaped, '2' JSON-escaped template,
    # '3' a bare expression (fuzz/template_fuzz.cpp).
    seeds = []
    for f in scenario_files():
        try:
            doc = json.loads(read(f))
        except ValueError:
            continue
        for key, text in strings_in(doc):
            if "${" in text:
                form = b"2" if key not in ("path", "name") else b"0"
                seeds.append(form + text.encode())
                seeds.append(b"1" + text.encode())
        seeds += [b"3" + e.encode() for e in expressions_in(doc)]
    seeds += [b"3" + e for e in (b"uniform(1, 10) * 2 + -3 % 2", b"choice('a', \"b\", user_id)",
                                  b"weighted(1, 0.5, 'x', 2)", b"zipf(100, 1.1)", b"seq(5, -2)",
                                  b"str(big) + int('12') + float(room)", b"big + 1", b"small / -1",
                                  b"small % -1", b"-small", b"huge * huge", b"int(huge)", b"int(numeric) - 1",
                                  b"uniform(small, big)", b"uniform_real(-huge, huge)", b"name + unset")]
    seeds += [b"0/api/${user_id}/x?$${literal}&$", b"1${name}", b"2${name}-${unset}", b"0${", b"0${}"]
    return seeds


def threshold_seeds():
    texts = set()
    for f in glob.glob(rel("gate", "tests", "*.cpp")) + glob.glob(rel("generator", "commands", "tests", "*.cpp")):
        source = read(f).decode()
        texts.update(m.encode().decode("unicode_escape") for m in re.findall(r'parse_threshold\("((?:[^"\\]|\\.)*)"\)', source))
        texts.update(re.findall(r'parse_threshold\(R"\((.*?)\)"\)', source))
        texts.update(re.findall(r'"--threshold", "((?:[^"\\]|\\.)*)"', source))
    for f in scenario_files():
        try:
            texts.update(t for t in json.loads(read(f)).get("thresholds", []) if isinstance(t, str))
        except (ValueError, AttributeError):
            pass
    texts.update(['p95{shard=1, name="/api/coupon/grab [Random]", method="POST"} < 20ms over 2s abort',
                  "count{shard=3} >= 1", "error_rate{method=\"GET\"} < 0.5%", "p0 < 1us", "p100 > 0s"])
    return [t.encode() for t in sorted(texts)]


RESULT_FILES = ["run.json", "history.jsonl", "stats.json", "server.json", "scenario.json"]


def compact(data, name):
    """A smaller copy of a result file: compact JSON, at most 3 endpoints, shards and
    failures (in stats.json and in each history line), at most 4 history lines. The seeds
    stay small, so mutations stay fast; what the reader does per entry is the same."""
    def trim(doc):
        if isinstance(doc, dict):
            for key in ("endpoints", "shards", "failures"):
                if isinstance(doc.get(key), list):
                    doc[key] = doc[key][:3]
        return json.dumps(doc, separators=(",", ":")).encode()
    try:
        if name == "history.jsonl":
            return b"".join(trim(json.loads(line)) + b"\n" for line in data.splitlines()[:4] if line.strip())
        return trim(json.loads(data))
    except ValueError:
        return data  # a deliberately broken fixture stays as it is


def result_folder_seeds():
    # Files joined by NUL in RESULT_FILES' order; a folder without a file ends before it
    # (fuzz/result_folder_fuzz.cpp).
    folders = sorted(glob.glob(rel("results", "tests", "fixtures", "*")) + glob.glob(rel("gui", "tests", "fixtures", "*"))
                     + glob.glob(rel("gui", "tests", "fixtures", "20261122-lab", "*")))
    seeds = []
    for folder in folders:
        if not os.path.isfile(os.path.join(folder, "run.json")):
            continue
        parts = []
        for name in RESULT_FILES:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                break
            parts.append(compact(read(path), name))
        seeds.append(b"\0".join(parts))
        seeds.append(b"\0".join(parts[:2]))  # the same run while it is live (no stats.json yet)
    return seeds


def server_request_seeds():
    token = b"fuzz-admin-token-0123456789abcdef"  # fuzz/server_request_fuzz.cpp
    host = b"Host: 127.0.0.1:8000\r\n"

    def get(target, extra=b""):
        return b"GET " + target + b" HTTP/1.1\r\n" + host + extra + b"\r\n"

    def post(target, body, extra=b"", content_type=b"application/json"):
        return (b"POST " + target + b" HTTP/1.1\r\n" + host + b"Content-Type: " + content_type + b"\r\n" + extra
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

    auth = b"Authorization: Bearer " + token + b"\r\n"
    gets = [b"/api/user/12/coupons", b"/api/coupon/7/stock", b"/api/room/3/stats", b"/api/room/3/orders?limit=5",
            b"/api/orders/recent?hours=1&limit=3", b"/api/stats", b"/health", b"/metrics", b"/admin/stats",
            b"/admin/shards/status", b"/nope", b"//admin/stats"]
    seeds = [get(t) for t in gets]
    seeds += [get(b"/admin/reshard?to=8", auth), get(b"/admin/reshard?to=0", auth)]
    seeds += [post(b"/api/coupon/grab", b'{"user_id": 12, "coupon_id": 7, "room_id": 2}'),
              post(b"/api/coupon/grab", b'{"user_id": 12, "coupon_id": 7}') * 3,
              post(b"/api/coupon/grab", b'{"user_id": "x", "coupon_id": 1e99, "room_id": -1}'),
              post(b"/api/coupon/grab", b"[1,2", content_type=b"text/plain"),
              post(b"/admin/reset", b"", auth), post(b"/admin/reset", b"{}", b"Origin: http://evil.example\r\n"),
              post(b"/admin/shards/1/offline", b"", auth) + get(b"/api/room/1/stats"),
              post(b"/admin/shards/1/online", b"", auth),
              b"POST /api/coupon/grab HTTP/1.1\r\n" + host + b"Transfer-Encoding: chunked\r\n\r\n"
              b"1a\r\n{\"user_id\":5,\"coupon_id\":9\r\n1\r\n}\r\n0\r\n\r\n",
              b"GET /api/stats HTTP/1.0\r\n\r\n",
              get(b"/api/stats", b"Connection: close\r\n") + get(b"/health"),
              get(b"/api/user/9223372036854775808/coupons") + get(b"/api/coupon/-1/stock")]
    return seeds


def response_seeds():
    # The first byte: '0' a GET, '1' a HEAD (low bit; fuzz/response_fuzz.cpp).
    def response(status, body, extra=b""):
        return (b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n" + extra
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)

    grab = b'{"grab_status": 1, "coupon_id": 7, "data": {"items": [{"id": 3}]}, "ok": {"a": [1, 2.5]}}'
    timing = b"Server-Timing: shard-0;dur=0.412, shard-3;dur=1.5, db;desc=\"x\";dur=2\r\n"
    seeds = [b"0" + response(b"200 OK", grab, timing) + response(b"200 OK", b'{"coupon_id": 7}'),
             b"0" + response(b"404 Not Found", b'{"error": "unknown user"}'),
             b"0" + response(b"503 Service Unavailable", b'{"error":"shard unavailable","shard":2}',
                             b"Server-Timing: shard-2;dur=0\r\n"),
             b"0" + response(b"200 OK", b'{"grab_status": 7}') + response(b"200 OK", b"not json"),
             b"1" + response(b"200 OK", grab),
             b"0HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"gra\r\n0\r\n\r\n",
             b"0HTTP/1.0 200 OK\r\n\r\n{\"coupon_id\": \"a b\"}",
             b"0HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
             b"0HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
             b"0" + response(b"200 OK", b'{"coupon_id": 1e308, "data": {"items": [{"id": -9223372036854775808}]}}')]
    return seeds


TARGETS = {
    "scenario": scenario_seeds,
    "template": template_seeds,
    "threshold": threshold_seeds,
    "result_folder": result_folder_seeds,
    "server_request": server_request_seeds,
    "response": response_seeds,
}


def main(names):
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        sys.exit(f"make_seeds.py: unknown target {', '.join(unknown)} (targets: {', '.join(TARGETS)})")
    for name in names or TARGETS:
        write_seeds(name, TARGETS[name]())


if __name__ == "__main__":
    main(sys.argv[1:])
