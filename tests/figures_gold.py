"""Gold figures (tests/data/figures/*.tsv) and their scoring; shared by tests and benchmarks.

See tests/data/figures/README.md for the format and the annotation conventions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "data" / "figures"
_CLAUSE_BOUNDARY = re.compile(r"[，。；！？,;!?\n]")


@dataclass
class GoldFigure:
    context: str
    raw: str
    value: float | None
    unit: str | None
    kind: str
    metric: str | None
    approx: bool
    start: int = -1
    end: int = -1


@dataclass
class GoldDoc:
    name: str
    doc_id: str
    figures: list[GoldFigure] = field(default_factory=list)
    excludes: list[tuple[str, str]] = field(default_factory=list)
    cells: list[tuple[str, float, str | None]] = field(default_factory=list)


def _none(s: str):
    return None if s == "-" else s


def load_gold() -> list[GoldDoc]:
    """Every gold file, sorted by name."""
    docs = []
    for path in sorted(GOLD_DIR.glob("*.tsv")):
        g = GoldDoc(path.stem, "")
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            if line.startswith("# doc:"):
                g.doc_id = line.split(":", 1)[1].strip()
                continue
            if line.startswith("# exclude:"):
                a, b = line.split(":", 1)[1].strip().split("\t")
                g.excludes.append((a, b))
                continue
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            if parts[0] == "cell":
                g.cells.append((parts[1], float(parts[2]), _none(parts[3])))
                continue
            ctx, raw, value, unit, kind, metric, approx = parts
            g.figures.append(GoldFigure(ctx, raw, None if value == "-" else float(value), _none(unit),
                                        kind, _none(metric), approx == "1"))
        docs.append(g)
    return docs


def locate(gold: GoldDoc, text: str) -> list[tuple[int, int]]:
    """Resolve each gold figure's span (contexts searched in order); return excluded ranges.

    Raises
    ------
    ValueError
        When a context or anchor is not found (the gold file is out of date).
    """
    pos = 0
    for f in gold.figures:
        i = text.find(f.context, pos)
        if i < 0:
            raise ValueError(f"{gold.name}: context {f.context!r} not found after {pos}")
        j = f.context.find(f.raw)
        if j < 0:
            raise ValueError(f"{gold.name}: raw {f.raw!r} not in context {f.context!r}")
        f.start, f.end = i + j, i + j + len(f.raw)
        pos = i + 1
    ranges = []
    for a, b in gold.excludes:
        s = text.index(a)
        ranges.append((s, text.index(b, s)))
    return ranges


def _squash(s: str) -> str:
    from summary_analysis.normalize import fold

    return re.sub(r"\s+", "", fold(s))


def _clause(text: str, start: int, end: int) -> str:
    a = start
    while a > 0 and not _CLAUSE_BOUNDARY.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and not _CLAUSE_BOUNDARY.match(text[b]):
        b += 1
    return text[a:b]


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)


@dataclass
class Score:
    gold: int = 0
    extracted: int = 0
    vuk_correct: int = 0
    gold_metrics: int = 0
    extracted_metrics: int = 0
    metric_correct: int = 0
    cells: int = 0
    cells_correct: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for k in ("gold", "extracted", "vuk_correct", "gold_metrics", "extracted_metrics",
                  "metric_correct", "cells", "cells_correct"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.misses += other.misses

    @staticmethod
    def _ratio(a, b):
        return a / b if b else 1.0

    @property
    def precision(self):
        return self._ratio(self.vuk_correct, self.extracted)

    @property
    def recall(self):
        return self._ratio(self.vuk_correct, self.gold)

    @property
    def metric_precision(self):
        return self._ratio(self.metric_correct, self.extracted_metrics)

    @property
    def metric_recall(self):
        return self._ratio(self.metric_correct, self.gold_metrics)

    @property
    def cell_recall(self):
        return self._ratio(self.cells_correct, self.cells)


def score(gold: GoldDoc, document, figures) -> Score:
    """Precision/recall of (value, unit, kind) and of metric for one document.

    An extracted figure is in scope when it lies outside the excluded (table) ranges; it
    matches the gold figure whose span it overlaps most. (value, unit, kind) is right when all
    three are equal. A metric is right when the gold phrase lies within the extracted one and
    the extracted one stays inside the figure's clause (whitespace and width ignored).
    Precision of metric counts every in-scope extracted figure that has a metric.
    """
    text = document.text
    excluded = locate(gold, text)
    scope = [f for f in figures if not any(a <= f.span.start < b for a, b in excluded)]
    s = Score(gold=len(gold.figures), extracted=len(scope))
    used: set[int] = set()
    matched = {}
    for gi, g in enumerate(gold.figures):
        best, best_ov = None, 0
        for k, f in enumerate(scope):
            if k in used:
                continue
            ov = min(g.end, f.span.end) - max(g.start, f.span.start)
            if ov > best_ov:
                best, best_ov = k, ov
        if best is not None:
            used.add(best)
            matched[gi] = scope[best]
    for gi, g in enumerate(gold.figures):
        f = matched.get(gi)
        if g.metric:
            s.gold_metrics += 1
        if f is None:
            s.misses.append(f"{gold.name}: missed {g.raw!r} ({g.context})")
            continue
        if _same_value(f.value, g.value) and f.unit == g.unit and f.kind == g.kind:
            s.vuk_correct += 1
        else:
            s.misses.append(f"{gold.name}: {g.raw!r} got ({f.value}, {f.unit}, {f.kind}) "
                            f"want ({g.value}, {g.unit}, {g.kind})")
        if g.metric and f.metric:
            ok = _squash(g.metric) in _squash(f.metric) and \
                _squash(f.metric) in _squash(_clause(text, f.span.start, f.span.end))
            if ok:
                s.metric_correct += 1
            else:
                s.misses.append(f"{gold.name}: metric of {g.raw!r} is {f.metric!r}, want {g.metric!r}")
        elif g.metric:
            s.misses.append(f"{gold.name}: metric of {g.raw!r} missing, want {g.metric!r}")
        elif f.metric:
            s.misses.append(f"{gold.name}: metric of {g.raw!r} is {f.metric!r}, want none")
    s.extracted_metrics = sum(1 for f in scope if f.metric)
    for k, f in enumerate(scope):
        if k not in used:
            s.misses.append(f"{gold.name}: extra {f.raw!r} ({f.kind}) at {f.span.start}")
    for metric, value, unit in gold.cells:
        s.cells += 1
        hits = [f for f in figures if f.metric == metric]
        if hits and _same_value(hits[0].value, value) and hits[0].unit == unit:
            s.cells_correct += 1
        else:
            got = (hits[0].value, hits[0].unit) if hits else None
            s.misses.append(f"{gold.name}: cell {metric} got {got}, want ({value}, {unit})")
    return s


def evaluate(documents, extract) -> tuple[Score, dict[str, Score]]:
    """Score ``extract(document)`` on every gold document found among ``documents``."""
    by_id = {d.doc_id: d for d in documents}
    total, per = Score(), {}
    for g in load_gold():
        doc = by_id[g.doc_id]
        sc = score(g, doc, extract(doc))
        per[g.name] = sc
        total.add(sc)
    return total, per
