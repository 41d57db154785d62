"""Build the shipped reference collocation statistics (maintainer tool).

``python -m summary_analysis.rewrite.reference PATH...`` reads clean official reports with the
project's readers, segments them with the project's tokenizer and writes
``data/rewrite/reference_unigrams.tsv`` and ``reference_bigrams.tsv`` (sorted, deterministic).
Run it again whenever the reference corpus, jieba or ``data/userdict.txt`` changes.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from .resources import ReferenceStats


def build(paths: list[str]) -> ReferenceStats:
    """Reference statistics of the documents read from ``paths`` (files or folders)."""
    from ..ingest import read_batch

    docs = read_batch(paths).documents
    return ReferenceStats.from_texts(d.text for d in sorted(docs, key=lambda d: d.doc_id))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the two TSV files into the installed package's data folder."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        sys.stderr.write("usage: python -m summary_analysis.rewrite.reference PATH...\n")
        return 2
    stats = build(argv)
    uni, bi = stats.to_tsv()
    out = Path(str(resources.files("summary_analysis.data.rewrite")))
    (out / "reference_unigrams.tsv").write_text(uni, encoding="utf-8")
    (out / "reference_bigrams.tsv").write_text(bi, encoding="utf-8")
    sys.stdout.write(f"{len(stats.unigrams)} words, {len(stats.bigrams)} bigrams\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
