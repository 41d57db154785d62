"""Figures of several documents side by side: the pivot behind ``Batch.figure_table``."""

from __future__ import annotations

import re

import pandas as pd

#: Default metrics: the statutory table totals every 2021-format report states.
KEY_METRICS = (
    "本年新收政府信息公开申请数量/总计",
    "上年结转政府信息公开申请数量/总计",
    "办理结果总计/总计",
    "结转下年度继续办理/总计",
    "行政复议/总计",
    "行政诉讼（未经复议直接起诉）/总计",
    "行政诉讼（复议后起诉）/总计",
    "行政许可/本年处理决定数量",
    "行政处罚/本年处理决定数量",
    "行政事业性收费/本年收费金额",
)


def _with_qualifier(metric: str) -> str:
    """A regex: ``metric`` with 1 or 2 characters (no line break) inserted at one place inside
    it, between two of its characters."""
    return "|".join(re.escape(metric[:k]) + r"[^\n|]{1,2}" + re.escape(metric[k:]) for k in range(1, len(metric)))


def figure_table(figures: pd.DataFrame, doc_ids: list[str], metrics=None,
                 kinds: tuple[str, ...] = ("count", "percent", "money")) -> pd.DataFrame:
    """Pivot chosen metrics by document.

    Parameters
    ----------
    figures : pandas.DataFrame
        ``Batch.figures`` (columns doc_id, metric, value, kind, start, end…).
    doc_ids : list of str
        Rows, in this order (documents without any of the metrics give a row of NaN).
    metrics : list of str, optional
        Columns, in this order. A document's value for a metric is its first figure (text
        order) whose metric equals it, or else whose metric contains it
        (``主动公开政府信息`` matches ``通过县政府门户网站主动公开政府信息``), or else, for a
        metric of 4 or more characters, contains it with one qualifier of 1 or 2 characters
        inserted (``主动公开各类政府信息``; not ``主动公开市政府规章``). Default
        :data:`KEY_METRICS`.
    kinds : tuple of str
        Figure kinds considered (contact and identifier figures are never statistics).

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id``, one column per metric, float values, NaN where not reported.
    """
    metrics = list(KEY_METRICS if metrics is None else metrics)
    table = pd.DataFrame(index=pd.Index(list(doc_ids), name="doc_id"), columns=metrics, dtype=float)
    if figures.empty:
        return table
    sel = figures[figures["metric"].notna() & figures["value"].notna() & figures["kind"].isin(list(kinds))]
    sel = sel.sort_values(["doc_id", "start", "end"], kind="stable")
    for doc_id, g in sel.groupby("doc_id", sort=True):
        if doc_id not in table.index:
            continue
        for m in metrics:
            hit = g[g["metric"] == m]
            if hit.empty:
                hit = g[g["metric"].str.contains(m, regex=False)]
            if hit.empty and len(m) >= 4:
                hit = g[g["metric"].str.contains(_with_qualifier(m))]
            if not hit.empty:
                table.loc[doc_id, m] = float(hit.iloc[0]["value"])
    return table
