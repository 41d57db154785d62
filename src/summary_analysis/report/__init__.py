"""Stage 7, report: render a :class:`~summary_analysis.batch.Batch` as text, JSON, CSV (and,
under issue 8, XLSX and HTML)."""

from .text import render_text
from .jsonout import render_json, write_csv

__all__ = ["render_text", "render_json", "write_csv"]
