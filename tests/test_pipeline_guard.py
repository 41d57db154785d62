"""A stage that raises on one document becomes an ING006 finding; the batch goes on."""

from __future__ import annotations

from conftest import SEED
from summary_analysis import analyze, read_documents
from summary_analysis import figures as figures_stage


def test_failing_stage_is_an_ing006_finding_and_the_batch_goes_on(monkeypatch):
    docs = read_documents(str(SEED))[:2]
    real = figures_stage.extract_figures

    def explode(document, forest):
        if document.doc_id.endswith("#1"):
            raise RuntimeError("boom")
        return real(document, forest)

    monkeypatch.setattr(figures_stage, "extract_figures", explode)
    batch = analyze(docs)
    ing = batch.findings[batch.findings.rule == "ING006"]
    assert list(ing.doc_id) == ["seed-compilation-page.txt#1"]
    assert "figures: RuntimeError: boom" in ing.iloc[0].message
    assert len(batch.documents) == 2
    # the other stages still ran on the failing document, and the other document is whole
    assert (batch.findings[batch.findings.doc_id.str.endswith("#1")].rule == "PLH001").any()
    assert (batch.figures.doc_id == "seed-compilation-page.txt#2").sum() > 0
