"""The Excel report (openpyxl): sheets ``documents``, ``findings``, ``pairs``, ``figures``,
``checklist``, ``skipped`` and ``groups``, one row per element of the JSON arrays of the same name
(``docs/output-contract.md``), contract columns first, then a few columns for people (finding
counts per family, line/column and excerpt of a finding). Header row frozen and bold, column
widths fitted, auto-filter on every sheet; ``lang="zh"`` gives Chinese headers and sheet names
(:data:`~summary_analysis.report.labels.ZH_SHEETS`).

Every text cell is written as a string (never a formula, even when the text starts with ``=``),
with characters XML cannot hold removed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..findings import FINDING_COLUMNS
from ..rules import FAMILIES
from .jsonout import _clean
from .labels import check_lang, headers, sheet_name
from .files import replacing
from .messages_zh import row_message, severity_label, skip_reason
from .views import LOCATED_COLUMNS, document_summary, located_findings

SHEETS = ("documents", "findings", "pairs", "figures", "checklist", "skipped", "groups")
#: Excel's limit of characters in one cell.
MAX_CELL_CHARS = 32767


def _cell_value(v):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    v = _clean(v)
    if v is None:
        return None
    if isinstance(v, (dict, list)):
        v = json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool) or isinstance(v, float):
        return v
    if isinstance(v, int):
        # Excel holds numbers as doubles: an integer past 15 digits would lose digits, and one
        # past the double range stops openpyxl (a 400-digit table cell did): written as text
        return v if abs(v) < 10**15 else str(v)
    s = ILLEGAL_CHARACTERS_RE.sub("", str(v))
    if len(s) > MAX_CELL_CHARS:
        s = s[: MAX_CELL_CHARS - 1] + "…"
    return s


def _width(s) -> int:
    if s is None:
        return 0
    s = str(s)
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s[:200])


def sheet_rows(batch, lang: str = "en") -> dict[str, tuple[list[str], list[dict]]]:
    """The rows of every sheet: ``{sheet: (columns, rows)}``; each sheet has exactly as many rows
    as the JSON array of the same name, in the same order. ``lang="zh"``: finding messages in
    Chinese (:func:`~summary_analysis.report.messages_zh.message_zh`), severities (错误, 警告,
    提示) and the reasons files were skipped
    (:func:`~summary_analysis.report.messages_zh.skip_reason`)."""
    from ..batch import (CHECKLIST_COLUMNS, CHECKLIST_DETAIL_COLUMNS, DOCUMENT_COLUMNS, FIGURE_COLUMNS,
                         GROUP_COLUMNS, PAIR_COLUMNS, SKIPPED_COLUMNS)

    data = batch.to_dict()
    findings = located_findings(batch, [dict(f, message=row_message(f, lang),
                                             severity=severity_label(f["severity"], lang)) for f in data["findings"]])
    documents = [dict(r, worst=severity_label(r["worst"], lang)) for r in document_summary(batch)]
    return {
        "documents": (DOCUMENT_COLUMNS + ["findings"] + list(FAMILIES) + ["worst"], documents),
        "findings": (FINDING_COLUMNS + LOCATED_COLUMNS, findings),
        "pairs": (PAIR_COLUMNS, data["pairs"]),
        "figures": (FIGURE_COLUMNS, data["figures"]),
        "checklist": (CHECKLIST_COLUMNS + CHECKLIST_DETAIL_COLUMNS, data["checklist"]),
        "skipped": (SKIPPED_COLUMNS, [dict(s, reason=skip_reason(s["reason"], lang)) for s in data["skipped"]]),
        "groups": (GROUP_COLUMNS, data["groups"]),
    }


def build_workbook(batch, lang: str = "en"):
    """The report as an :class:`openpyxl.Workbook` (not saved). Raises ValueError for an unknown
    ``lang``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..ingest.walk import XLSX_CREATOR

    lang = check_lang(lang)
    wb = Workbook()
    wb.properties.creator = XLSX_CREATOR  # so a later run skips this file (ingest.walk.is_own_report)
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for name, (cols, rows) in sheet_rows(batch, lang).items():
        ws = wb.create_sheet(sheet_name(name, lang))
        head = headers(name, cols, lang)
        ws.append(head)
        widths = [_width(h) for h in head]
        for r in rows:
            values = [_cell_value(r.get(c)) for c in cols]
            ws.append(values)
            for i, v in enumerate(values):
                w = _width(v)
                if w > widths[i]:
                    widths[i] = w
        # text never becomes a formula
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="top")
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(60, w + 2))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(rows) + 1)}"
    return wb


def write_xlsx(batch, out: str | os.PathLike, lang: str = "en") -> None:
    """Write the Excel report of ``batch`` to the file ``out``.

    Parameters
    ----------
    batch : Batch
    out : path
        The ``.xlsx`` file to write (parent folders are created).
    lang : {"en", "zh"}
        ``en``: the contract's field names as headers; ``zh``: Chinese headers.

    Raises
    ------
    ValueError
        For an unknown ``lang``.
    OSError
        When the file cannot be written.
    """
    import io

    wb = build_workbook(batch, lang)
    # built in memory, then written in one go: saved straight to a full disk, openpyxl's zip
    # file failed and was closed again by the collector, printing a traceback
    buf = io.BytesIO()
    wb.save(buf)
    data = _with_fixed_timestamps(buf.getvalue())
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        Path(tmp).write_bytes(data)


#: Zip entry time of the written workbook, and its created/modified properties: fixed, so the same
#: batch gives the same bytes (``SOURCE_DATE_EPOCH``, seconds, overrides it, as for reproducible
#: builds).
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _with_fixed_timestamps(xlsx: bytes) -> bytes:
    """The .xlsx bytes ``xlsx`` with every zip entry dated :data:`FIXED_TIME` and the document
    properties' created/modified set to it: openpyxl stamps both with the clock, so two runs on
    the same batch differed in ``docProps/core.xml`` and in the entries' dates."""
    import datetime
    import io
    import re
    import time
    import zipfile

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = (time.gmtime(int(epoch))[:6] if epoch.isdigit() else FIXED_TIME)
    when = max(when, FIXED_TIME)  # zip dates start in 1980
    stamp = datetime.datetime(*when).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\2",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)
    return out.getvalue()
