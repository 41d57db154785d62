"""Shared fixtures: the bundled corpus (never ../shared: a user's clone has no ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from summary_analysis.segment import fast_available

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "seed-compilation-page.txt"
SHUYANG = CORPUS / "shuyang-county-2025-annual-report.md"
SHANGHAI = CORPUS / "shanghai-office-2025-annual-report-pdf-extract.txt"
HUAIAN = CORPUS / "huaian-city-2024-annual-report.pdf"
TEMPLATE = CORPUS / "annual-report-format-2021-blank-template.docx"


#: Tests of the fast segmentation backend: skipped, with the install hint, where rjieba is not
#: installed (the test extra installs it, so CI runs them).
needs_rjieba = pytest.mark.skipif(not fast_available(),
                                  reason="the fast backend (rjieba) is not installed: pip install -e '.[fast]'")


@pytest.fixture(scope="session")
def corpus_batch():
    """The whole bundled corpus analysed once per test session."""
    from summary_analysis import analyze

    return analyze([str(CORPUS)])


@pytest.fixture(scope="session")
def seed_docs():
    """The five documents of the seed page, by number 1..5."""
    from summary_analysis import read_documents

    docs = read_documents(str(SEED))
    return {int(d.doc_id.rsplit("#", 1)[1]): d for d in docs}


@pytest.fixture(scope="session")
def adversarial(tmp_path_factory):
    """The adversarial folder of tests/adversarial.py (seeded, made by code), once per session."""
    from adversarial import make_adversarial

    return make_adversarial(tmp_path_factory.mktemp("adversarial") / "adv")
