"""Test-side text generators for the rewrite check (seeded, deterministic).

* two synonym spinners that, like cheap 伪原创 tools, replace strings from a word list without
  segmenting the text (greedy longest match, left to right): one draws substitutes from a
  thesaurus (HIT 同义词词林, the same one the detector may consult), the other from the
  hand-written :data:`DISJOINT_TABLE`, disjoint from every resource the detector uses
  (checked by ``tests/test_rewrite_spinners.py``);
* a copier that changes names and figures only (a DUP case, not a rewrite);
* a generator of clean reports assembled from runs of human-written sentences.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

# Hand-written for this benchmark: common words of work summaries and annual reports mapped to
# substitutes of the kind spinners produce (a wrong sense, an odd register). Written without
# looking at the detector's resources; pairs found in the thesaurus or the fingerprints are
# rejected by the disjointness test.
DISJOINT_TABLE: dict[str, list[str]] = {
    "政府": ["官府"],
    "工作": ["活计"],
    "信息": ["讯号"],
    "部门": ["门类"],
    "加强": ["加固"],
    "落实": ["落定"],
    "推进": ["推搡"],
    "开展": ["铺开"],
    "群众": ["人堆"],
    "监督": ["看管"],
    "管理": ["打理"],
    "制度": ["章法"],
    "机制": ["机理"],
    "领导": ["头领"],
    "组织": ["编织"],
    "提高": ["抬高"],
    "建立": ["搭建"],
    "及时": ["赶早"],
    "有效": ["见效"],
    "明确": ["亮堂"],
    "完善": ["齐备"],
    "宣传": ["吆喝"],
    "公开": ["敞开"],
    "依法": ["照章"],
    "办理": ["摆弄"],
    "答复": ["回帖"],
    "情况": ["光景"],
    "问题": ["毛病"],
    "措施": ["招数"],
    "重点": ["顶点"],
    "服务": ["伺候"],
    "要求": ["央求"],
    "发展": ["开拓"],
    "全面": ["满盘"],
    "社会": ["江湖"],
    "质量": ["分量"],
    "水平": ["水位"],
    "责任": ["担子"],
    "目标": ["标的"],
    "任务": ["差事"],
    "负责": ["兜底"],
    "单位": ["单元"],
    "平台": ["台子"],
    "渠道": ["管子"],
    "内容": ["内里"],
    "解读": ["破译"],
    "政策": ["方略"],
    "文件": ["卷宗"],
    "会议": ["聚会"],
    "培训": ["调教"],
    "考核": ["考验"],
    "意见": ["念头"],
    "建议": ["点子"],
    "检查": ["翻检"],
    "保障": ["托底"],
    "安全": ["牢靠"],
    "稳定": ["安稳"],
    "主动": ["自发"],
    "年度": ["周年"],
    "报告": ["讲演"],
    "统计": ["清点"],
    "数据": ["码子"],
    "网站": ["站点"],
    "回应": ["应声"],
    "维护": ["呵护"],
    "权益": ["权柄"],
    "效率": ["速率"],
    "机关": ["衙门"],
    "街道": ["巷子"],
    "社区": ["小区"],
    "居民": ["住户"],
    "人员": ["职员"],
}


@dataclass(frozen=True)
class Spun:
    """A spun text and where it was changed: ``changes`` lists ``(start, end, original,
    replacement)`` with [start, end) character offsets into ``text``."""

    text: str
    changes: tuple[tuple[int, int, str, str], ...]


def spin(text: str, table: dict[str, list[str]], rate: float, seed: int) -> Spun:
    """Replace table words in ``text`` without segmentation, each occurrence with probability
    ``rate`` (0..1), substitute drawn uniformly from its list; greedy longest match."""
    rng = random.Random(seed)
    maxlen = max((len(k) for k in table), default=1)
    out, changes = [], []
    pos_out, i, n = 0, 0, len(text)
    while i < n:
        for L in range(min(maxlen, n - i), 1, -1):
            key = text[i:i + L]
            if key in table:
                if rng.random() < rate:
                    rep = rng.choice(table[key])
                    changes.append((pos_out, pos_out + len(rep), key, rep))
                    out.append(rep)
                    pos_out += len(rep)
                else:
                    out.append(key)
                    pos_out += L
                i += L
                break
        else:
            out.append(text[i])
            pos_out += 1
            i += 1
    return Spun("".join(out), tuple(changes))


def shuffle_paragraphs(text: str, seed: int) -> str:
    """``text`` with its paragraphs (non-empty lines) after the first (the title) in a seeded
    order, as a spinner that also reorders paragraphs writes it."""
    paras = [p for p in text.split("\n") if p.strip()]
    body = paras[1:]
    random.Random(seed).shuffle(body)
    return "\n".join(paras[:1] + body)


@lru_cache(maxsize=1)
def thesaurus_table() -> dict[str, list[str]]:
    """Spinner table from the thesaurus: words of 2-4 characters that jieba counts at least 200
    times, each mapped to its thesaurus synonyms of 2+ characters (sorted)."""
    from summary_analysis.rewrite.resources import jieba_dictionary, thesaurus

    words = jieba_dictionary()
    out = {}
    for w, syns in thesaurus().items():
        if 2 <= len(w) <= 4 and words.get(w, (0, ""))[0] >= 200:
            cands = sorted(s for s in syns if len(s) >= 2 and s != w)
            if cands:
                out[w] = cands
    return out


_NAME = re.compile(r"(?<![\u4e00-\u9fff])?([\u4e00-\u9fff]{2})(县|市|区|镇|乡|街道)(?=人民政府|政府|办事处|的|在|[，。、])")
_NAMES = ["青山", "白河", "东湖", "南岭", "西岗", "北塘", "长林", "新桥", "金沙", "石门"]


def change_names_figures(text: str, seed: int) -> str:
    """A copy with its figures (digit runs) and place names (two characters before 县/市/区/镇/
    乡/街道 followed by 政府, 办事处…) changed: the DUP case a rewrite must be told apart from."""
    rng = random.Random(seed)
    text = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group()) - 1)), text)
    names: dict[str, str] = {}

    def rename(m: re.Match) -> str:
        name = names.setdefault(m.group(1), rng.choice(_NAMES))
        return name + m.group(2)

    return _NAME.sub(rename, text)


_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) >= 8]


def generate_reports(sources: list[str], n: int, seed: int) -> list[str]:
    """``n`` clean reports, each a title plus 10-24 sentences taken as runs of 2-6 consecutive
    sentences from 2-3 of the ``sources``, with figures re-drawn; paragraph breaks between runs."""
    rng = random.Random(seed)
    sents = [_sentences(s) for s in sources]
    sents = [s for s in sents if len(s) >= 6]
    out = []
    for k in range(n):
        picked = rng.sample(range(len(sents)), k=min(len(sents), rng.randint(2, 3)))
        issuer = rng.choice(_NAMES) + rng.choice(["县", "区", "市", "街道"])
        year = rng.randint(2015, 2024)
        paras, total = [f"{issuer}{year}年政务公开工作总结"], 0
        target = rng.randint(10, 24)
        while total < target:
            src = sents[rng.choice(picked)]
            run = rng.randint(2, 6)
            start = rng.randrange(0, max(1, len(src) - run))
            chunk = src[start:start + run]
            paras.append("".join(chunk))
            total += len(chunk)
        text = "\n".join(paras)
        text = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group()) - 1)), text)
        out.append(text)
    return out
