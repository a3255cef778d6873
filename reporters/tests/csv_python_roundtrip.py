#!/usr/bin/env python3
"""Independent oracle for our CSV quoting: Python's csv module (what Locust writes with)
must read each golden CSV file and write it back byte for byte.

Usage: csv_python_roundtrip.py FILE...   (exit status 1 on the first difference)"""
import csv
import io
import sys


def main(paths):
    if not paths:
        print("no files given")
        return 1
    for path in paths:
        with open(path, newline="") as f:
            raw = f.read()
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        out = io.StringIO(newline="")
        csv.writer(out).writerows(rows)
        if out.getvalue() != raw:
            print(f"{path}: csv.writer would write it differently")
            return 1
        print(f"{path}: {len(rows)} rows identical")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
