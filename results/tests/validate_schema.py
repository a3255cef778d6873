#!/usr/bin/env python3
"""Validates result folders against results/schema/result-v1.schema.json.

usage: validate_schema.py SCHEMA FOLDER...   (exit 1 and a message per problem if invalid)
A torn last history line (no trailing newline) is skipped, as the C++ reader does.
"""
import json
import sys

import jsonschema


def validator(schema, name):
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})


def main():
    schema = json.load(open(sys.argv[1]))
    jsonschema.Draft202012Validator.check_schema(schema)
    problems = []
    checked = 0
    for folder in sys.argv[2:]:
        docs = [(f"{folder}/run.json", "run", json.load(open(f"{folder}/run.json")))]
        try:
            docs.append((f"{folder}/stats.json", "stats", json.load(open(f"{folder}/stats.json"))))
        except FileNotFoundError:
            pass
        try:
            docs.append((f"{folder}/server.json", "server", json.load(open(f"{folder}/server.json"))))
        except FileNotFoundError:
            pass
        try:
            text = open(f"{folder}/history.jsonl").read()
        except FileNotFoundError:
            text = ""
        for n, line in enumerate(text.split("\n")[:-1], 1):  # last piece: torn or empty
            if line.strip():
                docs.append((f"{folder}/history.jsonl:{n}", "history_line", json.loads(line)))
        for where, name, doc in docs:
            checked += 1
            for err in validator(schema, name).iter_errors(doc):
                problems.append(f"{where}: /{'/'.join(map(str, err.path))}: {err.message}")
    for p in problems:
        print(p)
    print(f"{checked} documents checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
