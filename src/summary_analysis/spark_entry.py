"""``summary-analysis check PATH --engine spark``: the command-line side of the Spark engine.

Kept apart from :mod:`summary_analysis.spark` so that the CLI can tell a user without the
``spark`` extra how to install it instead of failing with an ImportError.
"""

from __future__ import annotations

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


def run_spark(paths: list[str], args) -> int:
    """Run ``check`` on Spark; returns the exit status (0, 1 findings at ``--fail-on``, 2 usage).

    ``--format parquet --out DIR`` writes the tables ``documents``, ``findings``, ``pairs``,
    ``figures``, ``checklist`` as Parquet folders under DIR; ``--format json`` collects the
    output contract's JSON document to the driver (small batches) and writes it to ``--out``
    or standard output.
    """
    from .cli import EXIT_USAGE, _exit_status, _select

    fmt = args.format
    if fmt == "text":  # the default: the text report is built from the local engine's tables
        print("summary-analysis check: note: --engine spark writes the JSON report (--format json); "
              "the text report needs --engine local", file=sys.stderr)
        fmt = "json"
    if fmt not in SPARK_FORMATS:
        print(f"summary-analysis check: --engine spark writes --format parquet or json, not {fmt}",
              file=sys.stderr)
        return EXIT_USAGE
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
    from .rules import RULES, matches
    from .spark import analyze, get_session, write

    from pyspark.sql import SparkSession

    own = SparkSession.getActiveSession() is None  # a session the caller made is left running
    spark = get_session(getattr(args, "master", None) or "local[2]", conf=conf)
    try:
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
    finally:
        if own:
            spark.stop()


def _json_text(batch, findings) -> str:
    import json

    from .report.jsonout import _clean

    return json.dumps(_clean(batch.to_dict(findings)), ensure_ascii=False, indent=1) + "\n"
