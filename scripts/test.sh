#!/usr/bin/env bash
# One command for the whole test suite on a fresh Debian machine (as root, or with sudo):
# Chromium for the map tests, Node packages for the Cypher linter, a Python 3.12 venv, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# the Spark engine's tests (tests/test_spark.py) run pyspark 4, which needs Java 17+ (with or without NEO4J_URI)
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jdk-headless >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jdk-headless >/dev/null
fi

PY=""
for cand in python3.12 python3.13 python3 /root/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.12; do
  if [ -x "$(command -v "$cand" 2>/dev/null || echo "$cand")" ] && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    PY="$cand"; break
  fi
done
[ -n "$PY" ] || { echo "Python >= 3.12 is needed (the embedded FalkorDB requires it)" >&2; exit 1; }

# a .venv made earlier with an older Python (e.g. by the demo command) is rebuilt with >= 3.12
if [ -x .venv/bin/python ] && ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
  rm -rf .venv
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

if [ -f tools/cypher-lint/package.json ]; then
  (cd tools/cypher-lint && { [ -f package-lock.json ] && npm ci --silent --no-audit --no-fund || npm install --silent --no-audit --no-fund; })
fi

# Neo4j for the live tests (issue 12): a Java runtime (17+) and Maven from Debian when missing;
# Neo4j Community 5.26 and GDS come from Maven Central into ~/.cache/graphinflu/neo4j (outside the
# repository; tools/neo4j-server/pom.xml says what), and the tests start one server for the session
# (tests/neo4j_server.py); with NEO4J_URI set, they use that server instead. Either way a second,
# local throwaway server (neo4j-admin import of the admin export, and no GDS) starts from the same
# jars, so they are always fetched.
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ] 2>/dev/null || ! command -v mvn >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  JRE=openjdk-17-jre-headless
  apt-cache show "$JRE" >/dev/null 2>&1 || JRE=openjdk-21-jre-headless
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$JRE" maven >/dev/null
fi
.venv/bin/python tests/neo4j_server.py fetch >/dev/null

exec .venv/bin/python -m pytest "$@"
