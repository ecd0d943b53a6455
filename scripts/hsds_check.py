#!/usr/bin/env python3
"""Validates JSON documents against one of the HSDS 3.0 schemas with an independent validator
(the `jsonschema` package, JSON Schema 2020-12, formats checked).

    hsds_check.py SCHEMA.json.gz < documents.json

The input is a JSON array of documents. Prints nothing and exits 0 when every document is
valid; otherwise prints one line per error (document index, path, message) and exits 1.
"""

import gzip
import json
import sys

import jsonschema


def main():
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    documents = json.load(sys.stdin)
    errors = [
        f"{i}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for i, doc in enumerate(documents)
        for e in validator.iter_errors(doc)
    ]
    for line in errors:
        print(line)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
