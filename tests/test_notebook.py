"""notebooks/01-batch-check.ipynb runs end to end on a fresh kernel (nbclient) and shows the
seed #4 rewrite finding (issue 8)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "01-batch-check.ipynb"


@pytest.fixture(scope="module")
def executed():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed: pip install -e '.[test]'")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed: pip install -e '.[test]'")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    return nb


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _text(o) -> str:
    if o.get("output_type") == "stream":
        return o.get("text", "")
    data = o.get("data", {})
    return "\n".join(str(data.get(k, "")) for k in ("text/plain", "text/html"))


def test_notebook_runs_without_errors(executed):
    outs = _outputs(executed)
    errors = [o for o in outs if o.get("output_type") == "error"]
    assert not errors, [(e.get("ename"), e.get("evalue")) for e in errors]
    assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")
    # the batch renders as HTML with one overview row per document, and plots as PNG
    html = [o["data"]["text/html"] for o in outs if "text/html" in o.get("data", {})]
    assert any(h.count('class="sa-docrow"') == 9 for h in html)
    assert sum("image/png" in o.get("data", {}) for o in outs) >= 3


def test_notebook_shows_the_seed4_rewrite(executed, corpus_batch):
    text = "\n".join(_text(o) for o in _outputs(executed))
    rew = [f for f in corpus_batch.finding_objects if f.rule == "REW001"
           and f.doc_id == "seed-compilation-page.txt#4"]
    assert rew, "the pipeline reports no REW001 on seed #4"
    assert "REW001 [error] seed-compilation-page.txt#4 <- seed-compilation-page.txt#1" in text
    # the side-by-side view with highlighted substitutions of #4 against #1
    assert 'data-doc-id="seed-compilation-page.txt#4" data-related-doc-id="seed-compilation-page.txt#1"' in text
    assert len(re.findall(r'<mark class="sa-m[^"]*\bsa-sub\b', text)) >= 60  # both sides
    assert "果然" in text and "德律风" in text
    json.dumps(executed)  # outputs are plain JSON
