"""Write tools/cypher-lint/gds-schema.json from a live Neo4j with GDS (NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD): the signatures, YIELD columns and configuration keys of every GDS procedure the
Cypher library calls, as the server reports them (graphinflu.store.gds.lint_schema).

    python tools/cypher-lint/gds_schema.py          # rewrite the file
    python tools/cypher-lint/gds_schema.py --check  # exit 1 when the file differs from the server

tests/test_cypher_lint.py runs the check against the test server, so the file cannot drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from graphinflu.store import connect
from graphinflu.store.gds import lint_schema

PATH = Path(__file__).resolve().parent / "gds-schema.json"


def render(schema: dict) -> str:
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    with connect() as store:
        text = render(lint_schema(store))
    if "--check" in argv:
        same = PATH.exists() and PATH.read_text(encoding="utf-8") == text
        print(f"{PATH.name} {'matches' if same else 'differs from'} the server", file=sys.stderr)
        return 0 if same else 1
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
