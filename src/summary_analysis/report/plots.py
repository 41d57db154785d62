"""Plots of a batch with matplotlib (Agg, no display needed): the similarity heatmap, findings by
family, and figures compared across documents.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
state, no GUI backend); Jupyter shows it inline, :func:`to_png` renders it to bytes. Chinese text
(metric names, ``lang="zh"`` labels) is set in a CJK font found among the installed fonts
(:func:`cjk_font`; the README installs the Debian package ``fonts-wqy-microhei``), with DejaVu Sans
as fallback for Latin text.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..rules import FAMILIES
from .labels import family_name, plot_label

log = logging.getLogger(__name__)

#: Installed font families tried in order; the first that matplotlib finds is used.
CJK_FONT_NAMES = (
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "Source Han Sans CN", "Droid Sans Fallback", "AR PL UMing CN",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
)
#: Characters a CJK font must have to be accepted (common words of the reports).
_PROBE = "政府信息公开工作年度报告总结抄袭洗稿数字"

_FAMILY_COLOURS = {"ING": "#7f7f7f", "DUP": "#d62728", "REW": "#9467bd", "PLH": "#ff7f0e",
                   "FIG": "#1f77b4", "SEC": "#2ca02c"}


@dataclass(frozen=True)
class FontChoice:
    """The CJK font the plots use: matplotlib family ``name`` and the font file ``path``."""

    name: str
    path: str


@lru_cache(maxsize=1)
def cjk_font() -> FontChoice | None:
    """Find an installed font with Chinese glyphs.

    Returns
    -------
    FontChoice or None
        The first of :data:`CJK_FONT_NAMES` that matplotlib knows and whose character map covers
        a probe of common report characters; else any known font covering the probe; None when
        no installed font has Chinese glyphs (Chinese text would then render as boxes, and a
        warning is logged once).
    """
    from matplotlib import font_manager, ft2font

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)

    def covers(path: str) -> bool:
        try:
            cmap = ft2font.FT2Font(path).get_charmap()
        except Exception:  # unreadable font file: not a candidate
            return False
        return all(ord(c) in cmap for c in _PROBE)

    for name in CJK_FONT_NAMES:
        for path in sorted(by_name.get(name, [])):
            if covers(path):
                return FontChoice(name, path)
    for name in sorted(by_name):
        for path in sorted(by_name[name]):
            if path.lower().endswith((".ttf", ".otf", ".ttc")) and covers(path):
                return FontChoice(name, path)
    log.warning("no CJK font installed: Chinese labels will not render "
                "(install fonts-wqy-microhei)")
    return None


def font_family() -> list[str]:
    """The ``font.family`` list the plots use: the CJK font (if any), then DejaVu Sans."""
    f = cjk_font()
    return ([f.name] if f else []) + ["DejaVu Sans"]


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _font_kw() -> dict:
    return {"fontfamily": font_family()}


def _style(ax) -> None:
    fam = font_family()
    for t in ax.get_xticklabels() + ax.get_yticklabels():
        t.set_fontfamily(fam)
    for t in (ax.title, ax.xaxis.label, ax.yaxis.label):
        t.set_fontfamily(fam)


def short_label(doc_id: str, width: int = 28) -> str:
    """``doc_id`` cut to ``width`` characters with an ellipsis in the middle (tick labels)."""
    if len(doc_id) <= width:
        return doc_id
    keep = width - 1
    return doc_id[: keep - keep // 2] + "…" + doc_id[-(keep // 2):]


def short_labels(doc_ids: list[str], width: int = 28) -> list[str]:
    """:func:`short_label` of each of ``doc_ids``, except where two would read the same (the
    part cut out was the part that differs: ``shuyang-county-2025-…`` and ``…-2026-…``, seen by
    the session-15 fresh-user test): those show ``width`` characters from a little before where
    they begin to differ, an ellipsis marking each cut. Same length and order as ``doc_ids``."""
    labels = [short_label(d, width) for d in doc_ids]
    groups: dict[str, list[int]] = {}
    for k, label in enumerate(labels):
        groups.setdefault(label, []).append(k)
    for members in groups.values():
        if len(members) < 2:
            continue
        ids = [doc_ids[k] for k in members]
        common = len(os.path.commonprefix(ids))
        start = max(0, common - 4)
        for k, d in zip(members, ids):
            room = width - (start > 0)
            cut = d[start:start + room]
            if start + room < len(d):
                cut = cut[:-1] + "…"
            labels[k] = ("…" if start else "") + cut
    return labels


def similarity_matrix(batch, metric: str = "jaccard", doc_ids: list[str] | None = None) -> pd.DataFrame:
    """The batch's pair scores as a square matrix.

    Parameters
    ----------
    batch : Batch
    metric : {"jaccard", "containment", "shared_chars"}
        ``jaccard`` is symmetric; ``containment`` puts at ``[row, col]`` the share of the row
        document's shingles found in the column document (``containment_ab`` when row is
        ``doc_a``).
    doc_ids : list of str, optional
        Rows/columns to keep, in this order; all documents (sorted) by default.

    Returns
    -------
    pandas.DataFrame
        Shape (n, n), index and columns ``doc_ids``; 1.0 on the diagonal (``shared_chars``: the
        document's length), 0.0 for pairs the similarity stage did not score.

    Raises
    ------
    ValueError
        For an unknown ``metric``.
    """
    if metric not in ("jaccard", "containment", "shared_chars"):
        raise ValueError(f"unknown metric {metric!r}")
    docs = batch.documents
    ids = list(doc_ids) if doc_ids is not None else sorted(docs["doc_id"])
    pos = {d: i for i, d in enumerate(ids)}
    m = np.zeros((len(ids), len(ids)), dtype=float)
    if metric == "shared_chars":
        chars = dict(zip(docs["doc_id"], docs["chars"]))
        for d, i in pos.items():
            m[i, i] = float(chars.get(d, 0) or 0)
    else:
        np.fill_diagonal(m, 1.0)
    for p in batch.pair_objects:
        if p.doc_a not in pos or p.doc_b not in pos:
            continue
        i, j = pos[p.doc_a], pos[p.doc_b]
        if metric == "jaccard":
            m[i, j] = m[j, i] = float(p.jaccard or 0)
        elif metric == "containment":
            m[i, j] = float(p.containment_ab or 0)
            m[j, i] = float(p.containment_ba or 0)
        else:
            m[i, j] = m[j, i] = float(p.shared_chars or 0)
    return pd.DataFrame(m, index=ids, columns=ids)


def _heatmap_ids(batch, max_documents: int) -> list[str]:
    ids = sorted(batch.documents["doc_id"])
    if len(ids) <= max_documents:
        return ids
    # keep the documents of the most similar pairs
    score: Counter = Counter()
    for p in batch.pair_objects:
        s = max(float(p.jaccard or 0), float(p.containment_ab or 0), float(p.containment_ba or 0))
        score[p.doc_a] = max(score[p.doc_a], s)
        score[p.doc_b] = max(score[p.doc_b], s)
    best = sorted(ids, key=lambda d: (-score[d], d))[:max_documents]
    return sorted(best)


def plot_similarity(batch, metric: str = "jaccard", ax=None, lang: str = "en",
                    max_documents: int = 60):
    """Heatmap of pair similarity over the batch.

    Parameters
    ----------
    batch : Batch
    metric : {"jaccard", "containment"}
        See :func:`similarity_matrix`; ratios 0..1.
    ax : matplotlib Axes, optional
        Draw into it; a new figure otherwise.
    lang : {"en", "zh"}
    max_documents : int
        Larger batches show the ``max_documents`` documents of the most similar pairs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ids = _heatmap_ids(batch, max_documents)
    mat = similarity_matrix(batch, metric, ids)
    n = len(ids)
    if ax is None:
        side = min(14.0, 3.0 + 0.35 * n)
        fig = _figure(side + 1.5, side)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    if n == 0:
        ax.text(0.5, 0.5, plot_label("no_data", lang), ha="center", va="center", **_font_kw())
        ax.set_axis_off()
        return fig
    shown = mat.to_numpy().copy()
    np.fill_diagonal(shown, np.nan)  # a document against itself: grey, not the darkest red
    from matplotlib import colormaps

    cmap = colormaps["Reds"].with_extremes(bad="#d9d9d9")
    im = ax.imshow(shown, vmin=0.0, vmax=1.0, cmap=cmap, interpolation="nearest")
    labels = short_labels(ids)
    ax.set_xticks(range(n), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    if n <= 15:
        vals = mat.to_numpy()
        for i in range(n):
            for j in range(n):
                if i != j and vals[i, j] > 0:
                    ax.text(j, i, f"{vals[i, j]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if vals[i, j] > 0.6 else "black")
    key = "similarity" if metric == "jaccard" else "containment"
    ax.set_title(plot_label(key, lang))
    cbar = fig.colorbar(im, ax=ax, shrink=0.8)
    cbar.ax.tick_params(labelsize=8)
    _style(ax)
    return fig


def findings_by_family(batch) -> pd.DataFrame:
    """Finding counts per document (rows, sorted by doc_id) and family (columns in
    :data:`~summary_analysis.rules.FAMILIES` order); integers, 0 where none."""
    ids = sorted(batch.documents["doc_id"])
    c: dict[str, Counter] = {d: Counter() for d in ids}
    for f in batch.finding_objects:
        c.setdefault(f.doc_id, Counter())[f.rule[:3]] += 1
    rows = sorted(c)
    return pd.DataFrame([[c[d].get(fam, 0) for fam in FAMILIES] for d in rows],
                        index=pd.Index(rows, name="doc_id"), columns=list(FAMILIES), dtype=int)


def plot_findings_by_family(batch, ax=None, lang: str = "en", max_documents: int = 40):
    """Stacked horizontal bars: findings per document, one colour per rule family.

    Returns
    -------
    matplotlib.figure.Figure
        Documents with the most findings first when there are more than ``max_documents``.
    """
    table = findings_by_family(batch)
    if len(table) > max_documents:
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index[:max_documents]]
        table = table.sort_index()
    n = len(table)
    if ax is None:
        fig = _figure(9.0, 1.2 + 0.32 * max(n, 1))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    if n == 0 or int(table.to_numpy().sum()) == 0:
        ax.text(0.5, 0.5, plot_label("no_data", lang), ha="center", va="center", **_font_kw())
        ax.set_axis_off()
        return fig
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    for fam in table.columns:
        vals = table[fam].to_numpy(dtype=float)
        if vals.sum() == 0:
            continue
        ax.barh(y, vals, left=left, color=_FAMILY_COLOURS.get(fam),
                label=f"{fam} {family_name(fam, lang)}")
        left += vals
    ax.set_yticks(y, short_labels(list(table.index), 40), fontsize=8)
    ax.set_xlabel(plot_label("count", lang))
    ax.set_title(plot_label("findings_by_family", lang))
    leg = ax.legend(loc="lower right", fontsize=8, prop={"family": font_family(), "size": 8})
    leg.set_frame_on(False)
    _style(ax)
    return fig


def figure_pivot(batch, metrics: list[str] | None = None, kinds: tuple[str, ...] = ("count", "percent", "money"),
                 min_documents: int = 2) -> pd.DataFrame:
    """Figures compared across documents: one row per metric, one column per document.

    Parameters
    ----------
    batch : Batch
    metrics : list of str, optional
        Metrics to show (rows in this order); default: every metric of the given ``kinds``
        reported by at least ``min_documents`` documents, the most widely reported first.
    kinds : tuple of str
        Figure kinds kept (contact numbers and identifiers are never statistics).
    min_documents : int

    Returns
    -------
    pandas.DataFrame
        Index ``metric``, columns doc_id (sorted), values the first figure of that metric in the
        document (text order), NaN where the document does not report it.
    """
    fig = batch.figures
    cols = sorted(batch.documents["doc_id"])
    if fig.empty:
        return pd.DataFrame(index=pd.Index([], name="metric"), columns=cols, dtype=float)
    sel = fig[fig["metric"].notna() & fig["kind"].isin(list(kinds)) & fig["value"].notna()]
    sel = sel.sort_values(["doc_id", "start", "end"], kind="stable")
    first = sel.drop_duplicates(["doc_id", "metric"], keep="first")
    pivot = first.pivot(index="metric", columns="doc_id", values="value")
    pivot = pivot.reindex(columns=cols)
    if metrics is not None:
        pivot = pivot.reindex(list(metrics))
    else:
        n = pivot.notna().sum(axis=1)
        keep = n[n >= min_documents]
        order = sorted(keep.index, key=lambda m: (-int(keep[m]), m))
        pivot = pivot.reindex(order)
    pivot.index.name = "metric"
    return pivot.astype(float)


def plot_figure_comparison(batch, metrics: list[str] | None = None, lang: str = "en",
                           max_metrics: int = 8, min_documents: int = 2):
    """Small multiples: for each metric, a bar per document reporting it.

    Returns
    -------
    matplotlib.figure.Figure
        Up to ``max_metrics`` panels (see :func:`figure_pivot` for the choice of metrics).
    """
    pivot = figure_pivot(batch, metrics=metrics, min_documents=min_documents).iloc[:max_metrics]
    k = len(pivot)
    ncols = 2 if k > 1 else 1
    nrows = max(1, (k + ncols - 1) // ncols)
    fig = _figure(5.0 * ncols + 1, 2.6 * nrows + 0.6)
    if k == 0:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, plot_label("no_data", lang), ha="center", va="center", **_font_kw())
        ax.set_axis_off()
        return fig
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for idx, (metric, row) in enumerate(pivot.iterrows()):
        ax = axes[idx // ncols][idx % ncols]
        row = row.dropna()
        y = np.arange(len(row))[::-1]
        ax.barh(y, row.to_numpy(dtype=float), color="#1f77b4")
        ax.set_yticks(y, short_labels(list(row.index), 24), fontsize=7)
        for yy, v in zip(y, row.to_numpy(dtype=float)):
            ax.text(v, yy, f" {v:g}", va="center", fontsize=7)
        ax.set_title(str(metric), fontsize=10)
        ax.margins(x=0.2)
        _style(ax)
    for idx in range(k, nrows * ncols):
        axes[idx // ncols][idx % ncols].set_axis_off()
    fig.suptitle(plot_label("figure_comparison", lang), fontfamily=font_family())
    return fig


def to_png(fig, dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG bytes (Agg; no display needed, deterministic metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def to_data_uri(fig, dpi: int = 100) -> str:
    """``data:image/png;base64,…`` of ``fig`` for an inline ``<img>``."""
    return "data:image/png;base64," + base64.b64encode(to_png(fig, dpi)).decode("ascii")
