"""The ``summary-analysis`` console script's entry point.

It imports the command line (and with it the stages) itself, so that a Ctrl-C during those
imports, the first fraction of a second of every run, exits 130 with the usual one-line
message instead of a traceback; then it runs :func:`summary_analysis.cli.run`.
"""

from __future__ import annotations

import sys


def run() -> None:
    """Import :mod:`summary_analysis.cli` and run it; exit 130 when interrupted meanwhile."""
    try:
        from .cli import run as cli_run
    except KeyboardInterrupt:
        sys.stderr.write("summary-analysis: interrupted\n")
        raise SystemExit(130) from None
    cli_run()
