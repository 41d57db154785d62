"""Seeded property tests guarding the checklist scorer's fast paths: one alternation for "any of
an item's heading patterns", counting own characters by runs, the bracket guard before the
placeholder substitutions and the whitespace guard of ``key_of``."""

from __future__ import annotations

import random
import re

from summary_analysis.checklist import load_checklist
from summary_analysis.checklist import outline as outline_mod
from summary_analysis.checklist import scorer
from summary_analysis.normalize import fold

from conftest import CORPUS


def _strings(seed: int, n: int) -> list[str]:
    """Corpus fragments mixed with placeholders, brackets, whitespace and full-width forms."""
    text = "".join(p.read_text("utf-8") for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]))
    rng = random.Random(seed)
    extra = ["（文字描述）", "(此处填写)", "XX", "xx", "××", "▲", "__", "＿＿", "…", "...", "（本列数据的勾稽关系",
             " ", "\u3000", "\t", "１２", "ＡＢ", "(", "）", "行政复议", "存在的主要问题", "依申请公开"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 4)):
            a = rng.randrange(len(text) - 80)
            parts.append(text[a:a + rng.randint(0, 80)].replace("\n", ""))
            parts.append(rng.choice(extra))
        out.append("".join(parts))
    return out


def _body_measure_reference(text: str) -> tuple[int, int, int]:
    """body_measure as first written: every substitution on every line, chars one by one."""
    own = figs = prose = 0
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if s.startswith("|"):
            cells = [c.strip() for c in s.strip("|").split("|")]
            values = [c for c in cells if scorer._VALUE_CELL.match(c)]
            if values:
                figs += len(values)
                own += sum(len(scorer._OWN_CHARS.findall(c)) for c in cells)
            continue
        s = scorer._PLACEHOLDER_PAREN.sub("", s)
        s = scorer._TABLE_NOTE.sub("", s)
        s = scorer._PLACEHOLDER.sub("", s)
        n = len(scorer._OWN_CHARS.findall(s))
        own += n
        figs += len(scorer._NUMBER.findall(scorer._LIST_NUMBER.sub(" ", s)))
        if s.endswith(("。", "；", ";")) and n:
            prose += n
    return own, figs, prose


def test_one_alternation_names_the_same_items_as_each_pattern():
    strings = _strings(1, 3000)
    named = 0
    for name in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary"):
        for it in load_checklist(name).items:
            for s in strings:
                k = outline_mod.key_of(s)
                want = any(p.search(k) for p in it.headings)
                assert scorer._names(it, k) == want, (it.id, s)
                named += want
    assert named > 100


def test_body_measure_equals_the_plain_form():
    strings = _strings(2, 2000)
    rng = random.Random(3)
    bodies = ["\n".join(rng.sample(strings, 5)) for _ in range(600)]
    assert [scorer.body_measure(b) for b in bodies] == [_body_measure_reference(b) for b in bodies]


def test_key_of_equals_fold_without_whitespace():
    ws = re.compile(r"\s+")
    for s in _strings(4, 3000):
        assert outline_mod.key_of(s) == ws.sub("", fold(s))
