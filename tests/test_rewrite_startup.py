"""The start-up form of the REW002 resources changes no result: the lexicon's bucketed tables
equal the named tables, from the on-disk cache or built in memory, and the per-word code table
filled on first lookup gives every word its code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summary_analysis import read_documents
from summary_analysis.normalize import fold
from summary_analysis.rewrite import PlausibilityModel, implausible_wording
from summary_analysis.rewrite import plausibility as pl
from summary_analysis.rewrite import resources as res
from summary_analysis.segment import segment

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def corpus_docs():
    return sorted(read_documents(str(CORPUS)), key=lambda d: d.doc_id)


def _check_table(table, want: dict, probes=()) -> None:
    """``table`` (a Mapping) has exactly ``want``'s items, and answers ``in``, ``[]`` and
    ``get`` like it for a sample of keys and for ``probes`` (absent ones included)."""
    assert len(table) == len(want)
    keys = sorted(want)[::41] + list(probes)
    for k in keys:
        assert (k in table) == (k in want)
        assert table.get(k) == want.get(k) and table.get(k, "absent") == want.get(k, "absent")
        if k in want:
            assert table[k] == want[k]
        else:
            with pytest.raises(KeyError):
                table[k]
    assert dict(table) == want  # every bucket


def test_lexicon_equals_named_tables():
    lex = res.lexicon()
    absent = ["", "不存在的词语", "a", "\n", "政府讯号公开"]
    _check_table(lex.words, res.jieba_dictionary(), ["政府", "公开", "信息", *absent])
    _check_table(lex.thesaurus, res.thesaurus(), ["公开", "果然", *absent])
    frames, domain = res.dictionary_frame_index(), res.dictionary_frame_index(True)
    _check_table(lex.frames, frames, ["政府\0公开", *absent])
    assert dict(lex.domain_frames) == domain
    assert lex.frame_reach == max(len(k) for k in (*frames, *domain)) - 1 == 4


def test_bucketed_table_of_a_small_dict():
    want = {"政府": (1, "n"), "政务": (2, "n"), "公开": (3, "v"), "a": (4, ""), "政": (5, "")}
    table = res.BucketedTable(res.pack_buckets(want), len(want))
    _check_table(table, want, ["", "政府信息", "b"])
    assert list(table) == ["政府", "政务", "政", "公开", "a"]  # bucket by bucket, in dict order
    assert table.bucket("政") == {k: v for k, v in want.items() if k.startswith("政")}
    assert table.bucket("x") == {}


_LEXICON_CHILD = """
import json
from summary_analysis.rewrite import resources as res
lex = res.lexicon()
print(json.dumps({"types": [type(t).__name__ for t in (lex.words, lex.thesaurus, lex.frames)],
                  "n": [len(lex.words), len(lex.thesaurus), len(lex.frames), len(lex.domain_frames)],
                  "probe": [lex.words["公开"], lex.words.get("不存在的词语"),
                            sorted(lex.thesaurus.get("公开", ())), lex.frames.get("政府\\0公开", ""),
                            lex.frame_reach]}))
"""


def _lexicon_child(env_extra: dict) -> dict:
    env = dict(os.environ, **env_extra)
    out = subprocess.run([sys.executable, "-c", _LEXICON_CHILD], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stderr == ""
    return json.loads(out.stdout)


def test_lexicon_from_disk_cache_equals_in_memory(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    built = _lexicon_child({**env, "SUMMARY_ANALYSIS_REWRITE_CACHE": "0"})
    assert built["types"] == ["dict", "dict", "dict"]
    first = _lexicon_child(env)  # builds and writes
    folder = tmp_path / "summary-analysis" / "rewrite"
    lexicon_files = list(folder.glob("lexicon-*.marshal"))
    assert len(lexicon_files) == 1
    second = _lexicon_child(env)  # reads
    assert first["types"] == second["types"] == ["BucketedTable"] * 3
    assert built["n"] == first["n"] == second["n"] and built["probe"] == first["probe"] == second["probe"]
    assert "信息" in built["probe"][3]
    lexicon_files[0].write_bytes(lexicon_files[0].read_bytes()[:100])  # truncated: rebuilt
    third = _lexicon_child(env)
    assert third["n"] == built["n"] and third["probe"] == built["probe"]


def test_code_table_gives_every_word_its_code(corpus_docs, monkeypatch):
    """_flags (per-word table, codes added on first lookup) equals _word_code of each token,
    also when the table is cleared as it fills (a tiny bound)."""
    model = PlausibilityModel()
    tokens = [segment(d.text).words for d in corpus_docs]
    want = [bytes(model._word_code(w) for w in words) for words in tokens]
    assert [model._flags(words) for words in tokens] == want  # filling
    assert [model._flags(words) for words in tokens] == want  # filled
    assert model._flags(tokens[0][:1]) == want[0][:1] and model._flags(()) == b""
    monkeypatch.setattr(pl, "_MAX_REMEMBERED", 50)
    small = PlausibilityModel()
    assert [small._flags(words) for words in tokens] == want
    assert len(small._codes) <= 50


def test_folded_argument_changes_nothing(corpus_docs):
    """assess with the caller's fold(text) (as implausible_wording passes Document.folded)
    equals assess computing it."""
    model = PlausibilityModel()
    flagged = 0
    for doc in corpus_docs:
        toks = segment(doc.text)
        a = model.assess(doc.text, toks)
        b = model.assess(doc.text, toks, folded=fold(doc.text))
        assert (a.phrases, a.density, a.cjk_tokens, a.verdict, a.out_of_register) == \
               (b.phrases, b.density, b.cjk_tokens, b.verdict, b.out_of_register)
        findings = implausible_wording(doc, toks, model=model)
        flagged += bool(findings)
        assert bool(findings) == (a.verdict == "machine-rewritten")
    assert flagged >= 1
