"""Stage 7, report: render a :class:`~summary_analysis.batch.Batch` as text, JSON, CSV, XLSX and
HTML, plus the plots and notebook views (:mod:`.plots`, :mod:`.views`)."""

from .text import render_text
from .jsonout import render_json, write_csv
from .html import render_html, write_html
from .xlsx import write_xlsx

__all__ = ["render_text", "render_json", "write_csv", "render_html", "write_html", "write_xlsx"]
