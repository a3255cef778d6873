#!/usr/bin/env python3
"""Validates result folders against the JSON Schema of their format version.

usage: validate_schema.py SCHEMA_DIR FOLDER...   (exit 1 and a message per problem if invalid)
Each folder's files are checked against SCHEMA_DIR/result-v<N>.schema.json, N = its
run.json's format_version. A torn last history line (no trailing newline) is skipped, as
the C++ reader does.
"""
import json
import sys

import jsonschema


def validator(schema, name):
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": schema["$defs"]})


_schemas = {}


def load_schema(schema_dir, version):
    if version not in _schemas:
        schema = json.load(open(f"{schema_dir}/result-v{version}.schema.json"))
        jsonschema.Draft202012Validator.check_schema(schema)
        _schemas[version] = schema
    return _schemas[version]


def main():
    problems = []
    checked = 0
    versions = set()
    for folder in sys.argv[2:]:
        run = json.load(open(f"{folder}/run.json"))
        versions.add(run["format_version"])
        schema = load_schema(sys.argv[1], run["format_version"])
        docs = [(f"{folder}/run.json", "run", run)]
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
    print(f"{checked} documents checked (format versions {sorted(versions)}), {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
