"""Chinese numerals (numerals.py): one-character numerals read without importing cn2an, with
cn2an's own values; longer ones still read by cn2an."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from decimal import Decimal

import pytest

from summary_analysis.numerals import NOT_STRICT, SINGLE, cn2an_value


def _cn2an(s: str, mode: str):
    import cn2an

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return cn2an.cn2an(s, mode)
        except ValueError:
            return ValueError


@pytest.mark.parametrize("mode", ["normal", "strict"])
def test_single_characters_read_as_cn2an_reads_them(mode):
    # every one-character numeral cn2an reads (and those its strict mode refuses) is in the table
    for c in "零〇一二两三四五六七八九十百千万亿":
        want = _cn2an(c, mode)
        if c not in SINGLE:
            assert want in (ValueError, 100, 1000, 10000, 100000000), c  # a magnitude: cn2an's
            continue
        if want is ValueError:
            assert mode == "strict" and c in NOT_STRICT
            with pytest.raises(ValueError):
                cn2an_value(c, mode)
        else:
            assert cn2an_value(c, mode) == want and type(cn2an_value(c, mode)) is type(want), c
    assert NOT_STRICT == {"〇", "两"}


@pytest.mark.parametrize("s, mode, want", [
    ("十二", "strict", 12), ("九十九", "strict", 99), ("两千零五", "normal", 2005),
    ("一点五", "normal", 1.5), ("十十", "strict", ValueError),
])
def test_longer_numerals_go_to_cn2an(s, mode, want):
    if want is ValueError:
        with pytest.raises(ValueError):
            cn2an_value(s, mode)
    else:
        assert cn2an_value(s, mode) == want == _cn2an(s, mode)


def test_callers_keep_their_readings():
    from summary_analysis.figures.numbers import parse_chinese
    from summary_analysis.sections import _cn_value

    # headings (strict): 〇 and 两 alone are no heading numbers, as cn2an's strict mode says
    assert [_cn_value(c) for c in "一二三十"] == [1, 2, 3, 10]
    assert _cn_value("两") is None and _cn_value("〇") is None and _cn_value("十二") == 12
    # figures (normal mode)
    assert [parse_chinese(c) for c in "两〇零九十"] == [Decimal(2), Decimal(0), Decimal(0), Decimal(9), Decimal(10)]
    assert parse_chinese("十五") == Decimal(15)


_CHILD = """
import json, sys
from summary_analysis import analyze
from summary_analysis.document import Document
text = sys.stdin.read()
batch = analyze([Document(doc_id="a.txt", title="t", text=text, path="a.txt")])
paths = sorted(r["path"] for r in batch.sections.to_dict("records"))
values = sorted(r["value"] for r in batch.figures.to_dict("records"))
print(json.dumps({"cn2an": "cn2an" in sys.modules, "paths": paths, "values": values}))
"""

_REPORT = ("某局2023年工作总结\n一、主要工作\n（一）主动公开\n全年公开信息35条，一是完善制度；二是加强培训，"
           "参训两百人次。\n（二）依申请公开\n收到申请3件。\n二、存在的问题\n无。\n")


def _child(text: str) -> dict:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    out = subprocess.run([sys.executable, "-c", _CHILD], input=text, env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_a_report_with_one_character_numerals_only_does_not_import_cn2an():
    plain = _REPORT.replace("两百", "200")
    got = _child(plain)
    assert got["cn2an"] is False
    assert "一/（一）" in got["paths"] and "二" in got["paths"]
    assert 35 in got["values"] and 200 in got["values"]
    # with a numeral of two characters cn2an is imported and reads it, and nothing else changes
    both = _child(_REPORT)
    assert both["cn2an"] is True and both["paths"] == got["paths"] and both["values"] == got["values"]
