"""A throwaway Neo4j Community server with Graph Data Science, for the live tests.

    python tests/neo4j_server.py fetch           # the jars into the cache (Maven Central), once
    python tests/neo4j_server.py start DIR       # start in DIR; prints NEO4J_URI=... lines
    python tests/neo4j_server.py stop DIR

The jars come from Maven Central through ``tools/neo4j-server/pom.xml`` (Neo4j Community 5.26,
the LTS line, and GDS 2.13, the release that matches it) into a cache outside the repository,
``~/.cache/graphinflu/neo4j/<neo4j>-gds<gds>/`` (``$GRAPHINFLU_NEO4J_CACHE`` moves it). A start
picks a free local port, generates a password (``neo4j-admin dbms set-initial-password``), runs
``org.neo4j.server.CommunityEntryPoint`` with a 1 GB heap, Bolt only on 127.0.0.1, the GDS jars
as its plugins folder and an import folder for ``LOAD CSV``, and waits until Bolt answers. The
server dies with the process that started it (``PR_SET_PDEATHSIG``), so an interrupted test run
leaves nothing behind. ``start(..., admin_import=ARGS)`` runs ``neo4j-admin database import full
ARGS`` (:func:`admin`: ``org.neo4j.cli.AdminTool``, what the ``neo4j-admin`` script runs) into the
fresh server's data folder before it first starts.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "tools" / "neo4j-server" / "pom.xml"
_POM_TEXT = POM.read_text(encoding="utf-8")
NEO4J_VERSION = re.search(r"<neo4j\.version>(\d[^<]*)</neo4j\.version>", _POM_TEXT).group(1)
GDS_VERSION = re.search(r"<gds\.version>(\d[^<]*)</gds\.version>", _POM_TEXT).group(1)


class ServerError(RuntimeError):
    """The test server could not be fetched or started; the message says why and what to do."""


def cache_dir() -> Path:
    base = os.environ.get("GRAPHINFLU_NEO4J_CACHE") or Path.home() / ".cache" / "graphinflu" / "neo4j"
    return Path(base) / f"{NEO4J_VERSION}-gds{GDS_VERSION}"


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    exe = Path(home) / "bin" / "java" if home else shutil.which("java")
    if not exe or not Path(exe).exists():
        raise ServerError("no java found: Neo4j 5.26 needs Java 17 or 21 "
                          "(apt-get install openjdk-17-jre-headless; scripts/test.sh does it)")
    return str(exe)


def fetch(quiet: bool = True) -> Path:
    """The server and GDS jars in the cache (``lib/``, ``gds/``), copied from Maven Central once."""
    cache = cache_dir()
    done = cache / ".complete"
    if done.exists():
        return cache
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError("Maven (mvn) is needed to fetch Neo4j from Maven Central "
                          "(apt-get install maven; scripts/test.sh does it)")
    for profile, folder in (("server", "lib"), ("gds", "gds")):
        out = cache / folder
        shutil.rmtree(out, ignore_errors=True)
        cmd = [mvn, "-B", *(["-q"] if quiet else []), "-f", str(POM), "-P", profile,
               "dependency:copy-dependencies", f"-DoutputDirectory={out}",
               # named groupId.artifactId.jar: a GDS jar whose artifact the server already has
               # (in whatever version) is left out of the plugins folder, so no class loads twice
               "-Dmdep.stripVersion=true", "-Dmdep.prependGroupId=true"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
            raise ServerError(f"mvn could not fetch the {profile} jars (exit {proc.returncode}):\n{tail}")
    done.write_text(f"{NEO4J_VERSION} {GDS_VERSION}\n")  # written last: a broken fetch is redone
    return cache


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running test server: where it listens, how to log in, and its folders."""

    home: Path
    uri: str
    username: str
    password: str = field(repr=False)
    import_dir: Path
    pid: int
    neo4j_version: str = NEO4J_VERSION
    gds_version: str = GDS_VERSION

    def env(self) -> dict:
        return {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.username, "NEO4J_PASSWORD": self.password,
                "NEO4J_IMPORT_DIR": str(self.import_dir)}

    def stop(self, timeout: float = 30.0) -> None:
        stop_pid(self.pid, timeout)


def stop_pid(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM (Neo4j shuts down cleanly), then SIGKILL after ``timeout`` seconds."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not our child (stopped from another process): poll instead
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            done = 0
        if done:
            return
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _config(home: Path, port: int, import_dir: Path, heap: str) -> str:
    return "\n".join([
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"server.directories.import={import_dir}",
        f"server.directories.plugins={home / 'plugins'}",
        "dbms.security.procedures.unrestricted=gds.*",
        "dbms.security.allow_csv_import_from_file_urls=true",
        f"server.memory.heap.max_size={heap}",
        "server.memory.pagecache.size=256m",
        "db.tx_log.rotation.retention_policy=1 files",
        "dbms.usage_report.enabled=false",
        "",
    ])


def start(home: str | os.PathLike, *, port: int | None = None, heap: str = "1g", timeout: float = 180.0,
          with_gds: bool = True, detach: bool = False, admin_import: list[str] | None = None,
          import_cwd: str | os.PathLike | None = None) -> Server:
    """Start a fresh server in ``home`` (created, must be empty) and wait until Bolt answers.

    ``with_gds=False`` starts it without the plugin (to check what graphinflu says then).
    ``detach=True`` does not tie the server's life to this process (for the command line).
    ``admin_import``: the arguments of ``neo4j-admin database import full`` (e.g. ``--nodes=...``,
    ..., the database name), run in ``import_cwd`` into this fresh server's data folder before it
    starts, as a user runs it on a stopped server.
    """
    cache = fetch()
    jexe = java()
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    if any(home.iterdir()):
        raise ServerError(f"{home} is not empty: give a new folder for the test server")
    for sub in ("conf", "data", "logs", "plugins", "import", "run"):
        (home / sub).mkdir()
    classpath = [str(cache / "lib" / "*")]
    if with_gds:
        # GDS goes on the class path (its kernel extensions are found there) and in the plugins
        # folder (where Neo4j looks for procedures; its class loader asks the class path first,
        # so each class is loaded once). Artifacts the server already has are left out.
        have = {p.name for p in (cache / "lib").iterdir()}
        for jar in sorted((cache / "gds").iterdir()):
            if jar.name not in have:
                (home / "plugins" / jar.name).symlink_to(jar)
        classpath.append(str(home / "plugins" / "*"))
    port = port or free_port()
    (home / "conf" / "neo4j.conf").write_text(_config(home, port, home / "import", heap))
    password = "gi-" + secrets.token_urlsafe(18)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    classpath = os.pathsep.join(classpath)
    proc = subprocess.run([jexe, "-cp", classpath, "org.neo4j.cli.AdminTool", "dbms", "set-initial-password",
                           password], env=env, cwd=home, capture_output=True, text=True)
    if proc.returncode:
        raise ServerError(f"neo4j-admin set-initial-password failed: {(proc.stdout + proc.stderr).strip()[-500:]}")
    if admin_import is not None:
        admin(home, ["database", "import", "full", *admin_import], cwd=import_cwd, classpath=classpath)
    log = open(home / "logs" / "console.log", "wb")
    child = subprocess.Popen(
        [jexe, f"-Xms{heap}", f"-Xmx{heap}", "-XX:+UseG1GC", "--add-opens=java.base/java.nio=ALL-UNNAMED",
         "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", classpath, "org.neo4j.server.CommunityEntryPoint",
         f"--home-dir={home}", f"--config-dir={home / 'conf'}"],
        env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        preexec_fn=None if detach else _die_with_parent, start_new_session=detach)
    log.close()
    (home / "run" / "pid").write_text(str(child.pid))
    server = Server(home=home, uri=f"bolt://127.0.0.1:{port}", username="neo4j", password=password,
                    import_dir=home / "import", pid=child.pid)
    try:
        _wait_ready(server, child, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def admin(home: str | os.PathLike, args: list[str], *, cwd: str | os.PathLike | None = None,
          classpath: str | None = None) -> str:
    """Run ``neo4j-admin ARGS`` (``org.neo4j.cli.AdminTool``, the class the ``neo4j-admin``
    script runs) for the server in ``home`` (its conf and data folders); its output, or
    :class:`ServerError` with the output's tail when it fails."""
    home = Path(home).resolve()
    classpath = classpath or str(fetch() / "lib" / "*")
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    proc = subprocess.run([java(), "-cp", classpath, "org.neo4j.cli.AdminTool", *args], env=env,
                          cwd=cwd or home, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    if proc.returncode:
        raise ServerError(f"neo4j-admin {' '.join(args[:3])} failed (exit {proc.returncode}):\n{out.strip()[-2000:]}")
    return out


def _wait_ready(server: Server, child: subprocess.Popen, timeout: float) -> None:
    import neo4j

    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        if child.poll() is not None:
            raise ServerError(f"Neo4j exited with status {child.returncode} while starting:\n{_log_tail(server)}")
        try:
            with neo4j.GraphDatabase.driver(server.uri, auth=(server.username, server.password),
                                            connection_timeout=2.0) as d:
                d.verify_connectivity()
                d.execute_query("RETURN 1")
            return
        except Exception as err:  # not up yet
            last = err
            time.sleep(0.5)
    raise ServerError(f"Neo4j did not answer on {server.uri} within {timeout:.0f}s ({last}):\n{_log_tail(server)}")


def _log_tail(server: Server, n: int = 20) -> str:
    out = []
    for name in ("console.log", "neo4j.log"):
        p = server.home / "logs" / name
        if p.exists():
            out += p.read_text(errors="replace").splitlines()[-n:]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv[:1] == ["fetch"]:
        print(fetch(quiet=False))
        return 0
    if len(argv) == 2 and argv[0] == "start":
        s = start(argv[1], detach=True)
        for k, v in s.env().items():
            print(f"{k}={v}")
        return 0
    if len(argv) == 2 and argv[0] == "stop":
        stop_pid(int((Path(argv[1]) / "run" / "pid").read_text()))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
