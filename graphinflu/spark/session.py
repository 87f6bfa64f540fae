"""The Spark session graphinflu runs on, and the one gate every Spark error passes through.

:func:`spark_session` starts (or reuses) a session with graphinflu's defaults: Spark's log4j
output limited to errors (``log4j2.properties`` beside this file), no progress bar, no web UI
in local mode and few shuffle partitions on a small master. :func:`spark_errors` turns what
Spark raises (an ``AnalysisException`` for a missing path, a Py4J error carrying a JVM stack
trace, a gateway that could not start because Java is missing) into a one-line
:class:`~graphinflu.errors.SparkEngineError` that names the file and the fix; the JVM stack trace
never reaches the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import warnings
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from .._lazy import optional_import
from ..errors import GraphinfluError, InputError, SparkEngineError

#: The master used when none is given: every core of this machine, in one process.
DEFAULT_MASTER = "local[*]"

_LOG4J = "log4j2.properties"


warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)


def _pyspark():
    with warnings.catch_warnings():  # pyspark warns about pandas versions it has not certified
        warnings.simplefilter("ignore", FutureWarning)
        return optional_import("pyspark.sql", what="pyspark (the Spark engine)")


def _log4j_file() -> str:
    own = os.environ.get("GRAPHINFLU_SPARK_LOG4J")
    if own:
        return own
    return str(Path(str(resources.files("graphinflu.spark") / _LOG4J)))


def _checkpoint_dir() -> str:
    path = Path(tempfile.gettempdir()) / f"graphinflu-spark-{os.getuid()}"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def spark_session(master: str | None = None, *, shuffle_partitions: int | None = None, conf: dict | None = None):
    """A SparkSession for graphinflu: the active one when there is one (``spark-submit`` made it,
    or a notebook did), else a new one on ``master`` (default :data:`DEFAULT_MASTER`).

    Parameters
    ----------
    master : str, optional
        ``local[2]``, ``spark://host:7077``, ``yarn``, ``k8s://https://...``.
    shuffle_partitions : int, optional
        ``spark.sql.shuffle.partitions``; default 4 on a ``local`` master (Spark's 200 is for
        clusters: on two cores it spends most of its time scheduling empty tasks), else Spark's.
    conf : dict, optional
        More Spark settings (``{"spark.executor.memory": "8g"}``).

    Raises
    ------
    MissingDependencyError
        pyspark is not installed (``pip install 'graphinflu[spark]'``).
    SparkEngineError
        Java is missing or the master cannot be reached.
    """
    sql = _pyspark()
    active = sql.SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkEngineError("the Spark engine needs Java (a JDK 17 or newer), and none was found",
                               hint="install one (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME")
    submitted = master is None and "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit set master and conf
    master = master or os.environ.get("GRAPHINFLU_SPARK_MASTER") or DEFAULT_MASTER
    local = master.startswith("local") and not submitted
    log4j = f"-Dlog4j2.configurationFile=file:{_log4j_file()} -Dlog4j.configurationFile=file:{_log4j_file()}"
    builder = sql.SparkSession.builder if submitted else sql.SparkSession.builder.master(master)
    builder = (builder.appName("graphinflu")
               .config("spark.driver.extraJavaOptions", log4j)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if local:  # Python workers (if any) run the driver's interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions or 4))
        # local mode runs every task in the driver JVM: Spark's 1g default fails near a million follows
        builder = builder.config("spark.driver.memory", os.environ.get("GRAPHINFLU_SPARK_DRIVER_MEMORY", "4g"))
    elif shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    for key, value in (conf or {}).items():
        builder = builder.config(key, str(value))
    if "PYSPARK_SUBMIT_ARGS" not in os.environ:  # read when pyspark starts the driver JVM
        os.environ["PYSPARK_SUBMIT_ARGS"] = f'--driver-java-options "{log4j}" pyspark-shell'
    with spark_errors(what=f"Spark master {master}"), _jvm_stderr_to(driver_log()):
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
        if not spark.sparkContext._jsc.sc().getCheckpointDir().isDefined():
            spark.sparkContext.setCheckpointDir(_checkpoint_dir())
    return spark


def driver_log() -> Path:
    """Where the Spark driver JVM started by graphinflu writes its own output (JVM warnings,
    log4j errors): a file, so the terminal shows graphinflu's lines only."""
    return Path(_checkpoint_dir()) / "spark-driver.log"


@contextmanager
def _jvm_stderr_to(path: Path):
    """Point file descriptor 2 at ``path`` while the driver JVM is started: the JVM inherits it
    and keeps writing there; Python's own stderr is restored right after."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


# ------------------------------------------------------------------------------------ errors
_FIRST_LINE = re.compile(r"^\s*(?:\[[A-Z_.]+\]\s*)?(.*)$")


def _message(err: BaseException) -> str:
    """The first meaningful line of a Spark/Py4J error (no JVM stack trace)."""
    text = getattr(err, "getMessage", None)
    try:
        text = text() if callable(text) else None
    except Exception:  # a Py4J error whose JVM side is gone
        text = None
    text = text or str(err)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("at ", "JVM stacktrace", "Traceback", "py4j", "An error occurred")):
            m = _FIRST_LINE.match(line)
            return (m.group(1) if m else line)[:300]
    return type(err).__name__


def _is_spark_error(err: BaseException) -> bool:
    mod = type(err).__module__ or ""
    return mod.startswith(("pyspark", "py4j"))


@contextmanager
def spark_errors(path=None, *, what: str | None = None):
    """Run Spark work; any error Spark raises becomes a :class:`SparkEngineError` (or an
    :class:`InputError` for a path Spark cannot find or read) naming ``path`` or ``what``."""
    try:
        yield
    except GraphinfluError:
        raise
    except Exception as err:
        if not _is_spark_error(err):
            raise
        msg = _message(err)
        low = msg.lower()
        name = path if path is not None else what
        if "path does not exist" in low or "path_not_found" in str(err).lower() or "filenotfound" in low:
            raise InputError("file not found", path=name, hint="check the path (any URI Spark reads works: "
                             "file://, hdfs://, s3a://, gs://)") from err
        if "java_gateway_exited" in str(err).lower() or "java gateway process exited" in low:
            raise SparkEngineError("the Spark JVM did not start (is Java 17 or newer installed and on PATH?)",
                                   hint="install a JDK (Debian: apt-get install openjdk-17-jdk-headless) or set "
                                        "JAVA_HOME") from err
        if "no filesystem for scheme" in low or "unsupported_file_system" in low:
            raise InputError(f"Spark cannot read this URI: {msg}", path=name,
                             hint="put the connector on Spark's classpath (e.g. --packages org.apache.hadoop:"
                                  "hadoop-aws for s3a://), or copy the file locally") from err
        if any(w in low for w in ("malformed", "corrupt", "not a parquet file", "cannot read", "decompress",
                                  "unexpected end", "is not a parquet")):
            raise InputError(f"cannot read the file with Spark: {msg}", path=name,
                             hint="check that the file is complete and in the format its name says") from err
        raise SparkEngineError(f"{name + ': ' if name else ''}Spark failed: {msg}",
                               hint="see the Spark driver log for details (GRAPHINFLU_SPARK_LOG4J "
                                    "points Spark at a log4j2 file of yours)") from err
