"""Starting a SparkSession fit for the engine.

Spark's Python workers must run the same interpreter as the driver (the one with this package,
numpy and pyarrow installed), so :func:`get_session` sets ``PYSPARK_PYTHON`` and
``PYSPARK_DRIVER_PYTHON`` to :data:`sys.executable` unless they are already set. pandas 3 makes
pyspark emit a ``FutureWarning`` on every Arrow conversion; it is silenced here and in the
workers.
"""

from __future__ import annotations

import os
import sys
import warnings

#: Arrow record batch size handed to ``mapInPandas`` (documents per batch). Small, so that a
#: batch holds at most this many document texts (each capped at
#: :data:`summary_analysis.ingest.DEFAULT_MAX_CHARS` characters) however large the partition.
ARROW_BATCH_ROWS = 64


def quiet_warnings() -> None:
    """Silence pyspark's pandas-3 ``FutureWarning`` and Arrow fallback chatter."""
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\..*)?")
    warnings.filterwarnings("ignore", category=FutureWarning, message=r".*pandas.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pyspark(\..*)?")
    warnings.filterwarnings("ignore", message=r"The copy keyword is deprecated")


def get_session(master: str = "local[2]", app_name: str = "summary-analysis", conf: dict | None = None):
    """Get or create a SparkSession configured for :func:`summary_analysis.spark.analyze`.

    Parameters
    ----------
    master : str
        Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn``...).
    app_name : str
    conf : dict, optional
        Extra Spark settings (``{"spark.driver.memory": "4g"}``).

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    ImportError
        When pyspark is not installed (``pip install 'summary-analysis[spark]'``).
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    quiet_warnings()
    from pyspark.sql import SparkSession

    b = (SparkSession.builder.master(master).appName(app_name)
         .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH_ROWS))
         .config("spark.sql.shuffle.partitions", "8")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.driver.memory", "2g")
         .config("spark.sql.execution.pyspark.udf.faulthandler.enabled", "true"))
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
