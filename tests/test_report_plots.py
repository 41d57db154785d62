"""Plots: CJK font without tofu, similarity matrix, figure pivot (issue 8)."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

from conftest import CORPUS
from report_synth import SEED1, SEED4, shared_xss_batch

from summary_analysis.report import plots


@pytest.fixture(scope="session")
def synth_batch_p(corpus_batch):
    return shared_xss_batch(str(CORPUS), corpus_batch)


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text()]


def test_cjk_font_renders_chinese_labels_without_tofu(synth_batch_p):
    from matplotlib import font_manager, ft2font

    font = plots.cjk_font()
    assert font is not None, ("no installed font has Chinese glyphs: install the Debian package "
                              "fonts-wqy-microhei (see README)")
    fig = plots.plot_figure_comparison(synth_batch_p, lang="zh")
    chinese = [t for t in _texts(fig) if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]
    assert any(t.get_text() == "各文档数字对比" for t in chinese)
    assert any("主动公开政府信息" == t.get_text() for t in chinese)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = plots.to_png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    cmap = ft2font.FT2Font(font.path).get_charmap()
    for t in chinese:
        assert font_manager.findfont(t.get_fontproperties(), fallback_to_default=False) == font.path
        assert all(ord(c) in cmap for c in t.get_text() if not c.isspace()), t.get_text()


def test_similarity_matrix_from_pairs(synth_batch_p):
    m = plots.similarity_matrix(synth_batch_p)
    ids = sorted(synth_batch_p.documents["doc_id"])
    assert list(m.index) == ids and list(m.columns) == ids
    a = m.to_numpy()
    assert np.allclose(a, a.T) and np.allclose(np.diag(a), 1.0)
    p = next(p for p in synth_batch_p.pair_objects if {p.doc_a, p.doc_b} == {SEED1, SEED4})
    assert m.loc[SEED1, SEED4] == pytest.approx(p.jaccard)
    c = plots.similarity_matrix(synth_batch_p, "containment")
    assert c.loc[p.doc_a, p.doc_b] == pytest.approx(p.containment_ab)
    assert c.loc[p.doc_b, p.doc_a] == pytest.approx(p.containment_ba)
    with pytest.raises(ValueError):
        plots.similarity_matrix(synth_batch_p, "cosine")


def test_figure_pivot_takes_first_figure_per_document(synth_batch_p):
    pivot = plots.figure_pivot(synth_batch_p)
    figs = synth_batch_p.figures
    assert len(pivot) >= 1
    for metric, row in pivot.iterrows():
        assert row.notna().sum() >= 2
        for doc_id, value in row.dropna().items():
            sel = figs[(figs["doc_id"] == doc_id) & (figs["metric"] == metric)].sort_values("start")
            assert value == float(sel["value"].iloc[0])


def test_findings_by_family_counts(synth_batch_p):
    table = plots.findings_by_family(synth_batch_p)
    n = synth_batch_p.findings.groupby("doc_id").size()
    for doc_id, count in n.items():
        assert int(table.loc[doc_id].sum()) == int(count)
    fig = synth_batch_p.plot_findings(lang="zh")
    assert plots.to_png(fig)[:4] == b"\x89PNG"


def test_heatmap_plot(synth_batch_p):
    fig = synth_batch_p.plot_similarity()
    img = fig.axes[0].images[0].get_array()
    assert img.shape == (len(synth_batch_p.documents),) * 2
    m = plots.similarity_matrix(synth_batch_p)
    off = ~np.eye(len(m), dtype=bool)
    assert np.allclose(np.ma.filled(img, np.nan)[off], m.to_numpy()[off])
    buf = io.BytesIO(plots.to_png(fig))
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_tick_labels_stay_distinct_when_names_differ_in_the_middle():
    """Found by the session-15 fresh-user test: shuyang-county-2025-annual-report.md and
    shuyang-county-2026-annual-report.md were both shown as shuyang-county…ual-report.md in the
    heatmap (the year was in the part cut out)."""
    from summary_analysis.report.plots import short_label, short_labels

    ids = ["shuyang-county-2025-annual-report.md", "shuyang-county-2026-annual-report.md",
           "siyang-county-2025-annual-report.md", "a.md", "shuyang-county-2024-annual-report-final-version.md"]
    labels = short_labels(ids)
    assert len(set(labels)) == len(ids) and all(len(x) <= 28 for x in labels)
    assert "2025" in labels[0] and "2026" in labels[1]
    assert labels[2] == short_label(ids[2]) and labels[3] == "a.md"  # no clash: cut as before
