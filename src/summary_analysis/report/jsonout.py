"""JSON (output contract version 1) and CSV renderers."""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

from ..batch import Batch
from .files import write_text, write_texts

TABLES = ("documents", "findings", "pairs", "figures", "checklist", "skipped", "groups")


def _clean(obj):
    """Make values JSON-safe and stable: NaN → None, numpy scalars → Python numbers, floats to
    15 significant digits (every digit a report writes is kept)."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float):
        if math.isnan(obj) or math.isinf(obj):
            return None
        # 15 significant digits (not 6 decimals: 0.0000001亿元 became 0.0 and 99.9999999% 100.0,
        # session-16 hostile-input test); stable, and float noise (0.30000000000000004) dropped
        return float(f"{obj:.15g}")
    return obj


def render_json(batch: Batch) -> str:
    """The batch as the contract's JSON document (UTF-8 text, keys in contract order, Chinese
    kept as characters, floats to 15 significant digits so output is byte-stable)."""
    return json.dumps(_clean(batch.to_dict()), ensure_ascii=False, indent=1) + "\n"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """One CSV cell: nested values as JSON, None as empty, and text that a spreadsheet would run
    as a formula (starting with ``= + - @``, tab or CR; OWASP "CSV injection") prefixed with
    ``'`` so Excel/WPS show it as text. Numbers are written as they are."""
    if isinstance(value, (dict, list)):
        value = json.dumps(_clean(value), ensure_ascii=False)
    elif value is None:
        return ""
    else:
        value = _clean(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(rows: list[dict], columns: list[str], labels: dict | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([(labels or {}).get(c, c) for c in columns])
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def write_csv(batch: Batch, out: str | os.PathLike | None, headers: dict | None = None,
              lang: str = "en") -> str | None:
    """Write CSV: the findings table to ``out`` (a file) or, when ``out`` is a folder (exists as
    one or ends with ``/``), one ``TABLE.csv`` per table. With ``out`` None, return the findings
    CSV as text. Nested values (span, evidence) are JSON in their cell. Files are UTF-8 with BOM
    so Excel/WPS open Chinese correctly; the findings have the contract's columns, then ``line``,
    ``column`` and ``excerpt`` (:func:`~summary_analysis.report.views.located_findings`). ``headers`` (``{table: {column: header}}``, e.g.
    :func:`summary_analysis.report.labels.csv_headers` for ``--lang zh``) renames the header row;
    None keeps the contract's field names. ``lang="zh"`` gives the findings' messages in Chinese
    (:func:`summary_analysis.report.messages_zh.message_zh`), their severities (错误, 警告, 提示)
    and the reasons files were skipped (:func:`~summary_analysis.report.messages_zh.skip_reason`)."""
    from .messages_zh import row_message, severity_label, skip_reason

    hdr = headers or {}
    data = _clean(batch.to_dict())
    if lang == "zh":
        data["findings"] = [dict(f, message=row_message(f, lang), severity=severity_label(f["severity"], lang))
                            for f in data["findings"]]
        data["skipped"] = [dict(s, reason=skip_reason(s["reason"], lang)) for s in data["skipped"]]
    from ..batch import (CHECKLIST_COLUMNS, CHECKLIST_DETAIL_COLUMNS, DOCUMENT_COLUMNS, FIGURE_COLUMNS,
                         GROUP_COLUMNS, PAIR_COLUMNS, SKIPPED_COLUMNS)
    from ..findings import FINDING_COLUMNS
    from ..rules import FAMILIES

    from .views import LOCATED_COLUMNS, document_summary, located_findings

    # the findings with line, column and excerpt, and the documents with their counts per rule
    # family and worst severity, as the XLSX sheets have them
    data["findings"] = located_findings(batch, data["findings"])
    data["documents"] = _clean(document_summary(batch))
    if lang == "zh":
        data["documents"] = [dict(r, worst=severity_label(r["worst"], lang)) for r in data["documents"]]
    cols = {"documents": DOCUMENT_COLUMNS + ["findings"] + list(FAMILIES) + ["worst"],
            "findings": FINDING_COLUMNS + LOCATED_COLUMNS, "pairs": PAIR_COLUMNS,
            "figures": FIGURE_COLUMNS, "checklist": CHECKLIST_COLUMNS + CHECKLIST_DETAIL_COLUMNS,
            "skipped": SKIPPED_COLUMNS, "groups": GROUP_COLUMNS}
    if out is None:
        return _csv_text(data["findings"], cols["findings"], hdr.get("findings"))
    out_s = str(out)
    if os.path.isdir(out_s) or out_s.endswith(("/", os.sep)):
        Path(out_s).mkdir(parents=True, exist_ok=True)
        write_texts([(Path(out_s, f"{t}.csv"), _csv_text(data[t], cols[t], hdr.get(t))) for t in TABLES],
                    encoding="utf-8-sig")  # all the tables of this run, or none
    else:
        write_text(out_s, _csv_text(data["findings"], cols["findings"], hdr.get("findings")),
                   encoding="utf-8-sig")
    return None
