"""The Spark engine (``pip install 'summary-analysis[spark]'``): the same analysis as
:func:`summary_analysis.analyze`, distributed with Spark, for batches that outgrow one machine
(a province's archive over many years, a reference library of millions of pages).

Usage::

    from summary_analysis.spark import analyze, get_session
    spark = get_session("local[2]")
    batch = analyze(spark, ["corpus"])
    batch.findings.show()                       # Spark DataFrames, contract columns
    batch.to_dict()                             # the JSON contract (small batches)

Command line: ``summary-analysis check PATH --engine spark --master local[2] --format parquet
--out DIR``. See :mod:`.engine` for how each stage maps onto Spark, and :mod:`.reference` for
the reference library as Parquet.
"""

from __future__ import annotations

from .engine import SparkBatch, analyze, finding_from_json, write
from .session import get_session

__all__ = ["analyze", "get_session", "SparkBatch", "write", "finding_from_json"]
