"""``summary-analysis check PATH --engine spark``: the command-line side of the Spark engine.

Kept apart from :mod:`summary_analysis.spark` so that the CLI can tell a user without the
``spark`` extra how to install it instead of failing with an ImportError.
"""

from __future__ import annotations

import logging
import re
import sys

INSTALL_HINT = ("summary-analysis check: --engine spark needs pyspark and pyarrow; install them with\n"
                "    pip install 'summary-analysis[spark]'\n"
                "(Spark also needs Java 17 or later on the machine)")

#: Output formats of the Spark engine.
SPARK_FORMATS = ("parquet", "json")


def spark_available() -> bool:
    """True when pyspark and pyarrow can be imported."""
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def spark_conf(items: list[str]) -> dict[str, str]:
    """``--spark-conf KEY=VALUE`` options as a dict (later ones win).

    Raises
    ------
    ValueError
        If an item has no ``=`` or an empty key.
    """
    conf: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--spark-conf wants KEY=VALUE, got {item!r}")
        conf[key.strip()] = value.strip()
    return conf


#: Master URLs of Spark's local mode (Spark's ``SparkMasterRegex``: ``local``, ``local[N]``,
#: ``local[*]``, ``local[N, F]``, ``local-cluster[N, C, M]``); other masters name a cluster
#: manager (``yarn``) or carry a scheme (``spark://``, ``k8s://``…).
_LOCAL_MASTER = re.compile(r"local(\[\s*([1-9]\d*|\*)\s*(,\s*\d+\s*)?\])?"
                           r"|local-cluster\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]")
#: Spark's size strings (``JavaUtils.byteStringAs``): digits and an optional unit.
_SIZE = re.compile(r"\d+([kmgtp]b?|b)?", re.I)
#: Settings whose value is a size (a bad one kept the JVM from starting, with a Java trace).
_SIZE_KEYS = ("spark.driver.memory", "spark.executor.memory", "spark.driver.maxResultSize")


def check_spark_options(master: str, conf: dict[str, str]) -> str | None:
    """What is wrong with ``--master`` or a size in ``--spark-conf``, or None.

    ``master`` must be a local-mode URL Spark parses (:data:`_LOCAL_MASTER`), ``yarn``, or a
    URL with a scheme (``spark://HOST:PORT``, ``k8s://…``; whether it is reachable is only known
    when Spark starts); the settings of :data:`_SIZE_KEYS` must be sizes such as ``4g`` or
    ``512m``. Found by the session-22 fresh-user test: ``--master 'local[abc]'`` and
    ``spark.driver.memory=lots`` printed pages of Java traces.
    """
    m = str(master).strip()
    if not (_LOCAL_MASTER.fullmatch(m) or m == "yarn" or re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", m)):
        return (f"--master {master!r} is not a Spark master URL (local, local[N], local[*], "
                "spark://HOST:PORT, yarn, k8s://…)")
    for key in _SIZE_KEYS:
        if key in conf and not _SIZE.fullmatch(conf[key]):
            return f"--spark-conf {key}={conf[key]!r} is not a size (such as 4g or 512m)"
    return None


def spark_error_line(exc: BaseException) -> str:
    """One line for an error raised by PySpark or by Spark's Java side: the Java exception's own
    message for a ``Py4JJavaError``, else the first non-empty line of the Python message (at
    most 400 characters)."""
    text = ""
    java = getattr(exc, "java_exception", None)
    if java is not None:
        try:
            text = str(java.toString())
        except Exception:  # the gateway may be gone already
            text = ""
    text = text or str(exc)
    line = next((x.strip() for x in text.splitlines() if x.strip()), type(exc).__name__)
    if "stopped SparkContext" in line:  # what an unreachable master ends with
        line += " (Spark gave up while starting: is the master reachable? Its log above says why)"
    return line[:400]


def _from_spark(exc: BaseException) -> bool:
    """True for the errors of PySpark and Py4J (a failed job, a lost gateway)."""
    return type(exc).__module__.split(".")[0] in ("pyspark", "py4j")


def _not_py4j(record: logging.LogRecord) -> bool:
    """Logging filter: False for the records Py4J's own modules log."""
    return "py4j" not in record.pathname.replace("\\", "/").split("/")


def run_spark(paths: list[str], args) -> int:
    """Run ``check`` on Spark; returns the exit status (0, 1 findings at ``--fail-on``, 2 usage).

    ``--format parquet --out DIR`` writes the tables ``documents``, ``findings``, ``pairs``,
    ``figures``, ``checklist``, ``skipped`` as Parquet folders under DIR; ``--format json`` collects the
    output contract's JSON document to the driver (small batches) and writes it to ``--out``
    or standard output. An error of Spark (it did not start, a job failed) is one line on
    standard error and exit status 2.
    """
    from .cli import EXIT_USAGE

    fmt = args.format
    if fmt == "text":  # the default: the text report is built from the local engine's tables
        print("summary-analysis check: note: --engine spark writes the JSON report (--format json); "
              "the text report needs --engine local", file=sys.stderr)
        fmt = "json"
    if fmt not in SPARK_FORMATS:
        print(f"summary-analysis check: --engine spark writes --format parquet or json, not {fmt}",
              file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "jobs", 1) != 1:  # session-22 fresh-user test: ignored without a word
        print("summary-analysis check: note: --jobs does not apply with --engine spark (Spark's executors "
              "share the documents: --master local[N] for N cores here)", file=sys.stderr)
    if getattr(args, "lang", "en") != "en":
        print("summary-analysis check: note: --lang applies to text/csv/xlsx/html; the JSON and Parquet "
              "output of --engine spark keep the output contract's English", file=sys.stderr)
    if fmt == "parquet" and not args.out:
        print("summary-analysis check: --format parquet needs --out DIR", file=sys.stderr)
        return EXIT_USAGE
    try:
        conf = spark_conf(getattr(args, "spark_conf", None))
    except ValueError as exc:
        print(f"summary-analysis check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not spark_available():
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_USAGE
    from pyspark.sql import SparkSession

    from .spark import get_session
    from .spark.reference import library_missing

    master = getattr(args, "master", None) or "local[2]"
    problem = check_spark_options(master, conf)
    index = getattr(args, "index", None)
    if not problem and index and library_missing(index):
        # session-22 fresh-user test: Spark's PATH_NOT_FOUND, after starting Spark
        problem = (f"--index {index} does not exist (build a library with `summary-analysis index add DIR "
                   "--index refs.sqlite`; summary_analysis.spark.reference.export_index makes its Parquet copy)")
    if problem:
        print(f"summary-analysis check: {problem}", file=sys.stderr)
        return EXIT_USAGE
    own = SparkSession.getActiveSession() is None  # a session the caller made is left running
    # Py4J logs its broken calls with tracebacks (an interrupt during a call, a gateway that
    # exited), some on the root logger; the command says what went wrong in one line instead
    py4j_logger = logging.getLogger("py4j")
    py4j_level = py4j_logger.level
    py4j_logger.setLevel(logging.CRITICAL)
    logging.getLogger().addFilter(_not_py4j)
    spark = None
    try:
        spark = get_session(master, conf=conf)
        if own:
            # Spark's own ERROR lines (pages of plans and Java traces when a run is interrupted
            # or a job fails) are left out too: a failure ends in one line below
            spark.sparkContext.setLogLevel("FATAL")
        return _run(spark, paths, args, fmt)
    except Exception as exc:
        if not _from_spark(exc):
            raise
        what = "did not start" if spark is None else "failed"
        print(f"summary-analysis check: Spark {what} (--master {master}): {spark_error_line(exc)}",
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        try:
            if own and spark is not None:
                spark.stop()
        except Exception as exc:  # a session whose gateway is gone
            if not _from_spark(exc):
                raise
        finally:
            logging.getLogger().removeFilter(_not_py4j)
            py4j_logger.setLevel(py4j_level)


def _run(spark, paths: list[str], args, fmt: str) -> int:
    """The Spark run of :func:`run_spark` in a started session; the exit status."""
    from .cli import _exit_status, _select
    from .rules import RULES, matches
    from .spark import analyze, write

    batch = analyze(spark, paths, checklist=args.checklist, index=getattr(args, "index", None),
                    segmenter=getattr(args, "segmenter", None), max_file_mb=args.max_file_mb)
    if fmt == "json":
        findings = _select(batch.finding_objects(), args.select, args.ignore)
        text = _json_text(batch, findings)
        if args.out:
            from pathlib import Path

            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return _exit_status(findings, args.fail_on)
    codes = [c for c in RULES if (not args.select or matches(c, args.select))
             and not (args.ignore and matches(c, args.ignore))]
    write(batch, args.out, "parquet", rules=codes)
    findings = batch.findings  # one DataFrame: each access builds a new plan
    severities = {r[0] for r in findings.where(findings.rule.isin(codes)).select("severity").distinct().collect()}
    from .rules import SEVERITY_ORDER

    if args.fail_on == "never":
        return 0
    return 1 if any(SEVERITY_ORDER[s] >= SEVERITY_ORDER[args.fail_on] for s in severities) else 0


def _json_text(batch, findings) -> str:
    import json

    from .report.jsonout import _clean

    return json.dumps(_clean(batch.to_dict(findings)), ensure_ascii=False, indent=1) + "\n"
