"""Finding messages in Chinese (``--lang zh``), for supervisors reading the reports.

The findings' ``message`` field stays English in the JSON (the output contract's stable text);
the human-facing reports (text lines, CSV/XLSX ``message`` column, HTML) show
:func:`message_zh` instead when asked for Chinese. Each message is rebuilt from the finding's
rule code and evidence (the same facts as the English message), so the stages need not know
about languages; a finding whose evidence lacks a fact falls back to the rule's Chinese name
followed by the English message.
"""

from __future__ import annotations

import re
from typing import Any

from ..ingest import walk
from ..similarity.evidence import CHANGED_KINDS

#: One-line Chinese name of every rule (the registry's ``summary``, in Chinese).
RULE_ZH: dict[str, str] = {
    "ING001": "文件无法读取或解码",
    "ING002": "不支持的文件类型",
    "ING003": "清理后文档为空",
    "ING004": "超出大小或安全限制，未读取",
    "ING005": "PDF 没有文字层（扫描件，需 OCR）",
    "ING006": "分析环节出错",
    "DUP001": "与另一文档近似重复",
    "DUP002": "与另一文档有相同段落",
    "DUP003": "抄自参考库文档",
    "REW001": "对另一文档做同义词替换洗稿",
    "REW002": "疑似机器改写的措辞",
    "PLH001": "模板字段未填写",
    "FIG001": "分项大于合计，或分项之和不等于合计",
    "FIG002": "统计期限不是报告年度",
    "FIG003": "数值不合常理",
    "FIG004": "法定表格勾稽关系不成立",
    "FIG005": "正文数字与表格不一致",
    "SEC001": "缺少必备内容",
    "SEC002": "必备内容有标题无内容",
    "SEC003": "必备内容顺序不对",
}

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
#: A pair's verdict (``pairs.verdict`` of the contract) in Chinese.
VERDICT_ZH = {"near-duplicate": "近似重复", "shared-passages": "有相同段落", "rewrite": "同义词改写",
              "distinct": "不同"}

#: What a DUP/REW finding's ``difference_counts`` / ``differences`` kinds mean.
CHANGED_ZH = {"issuer": "发布机关", "year": "年份", "figure": "数字", "placeholder": "模板占位符", "name": "名称",
              "wording": "措辞", "text": "成段文字", "punctuation": "标点"}

#: PLH001 ``evidence.kind`` (:data:`summary_analysis.figures.placeholders` kinds).
_PLACEHOLDER_KIND_ZH = {"figure": "数字", "name": "名称", "year": "年份", "prompt": "填写提示",
                        "blank": "空白横线"}

_QUOTED = re.compile(r"""implausible wording (['"])(.*?)\1""")
_POSITION = re.compile(r"^required item missing \((?:checklist item |item )?(\d+) of (\d+)\): ")
_LABEL = re.compile(r"^[^:]*: (.*)$")
_BEFORE = re.compile(r" comes before (.*), which should come first$")
_LATE = re.compile(r" comes after (.*), which should come after it$")
_AFTER = re.compile(r" comes after (.*)$")  # messages before session 12
_FIRST = re.compile(r" comes first, before (.*)$")


def _num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _changed(evidence: dict) -> str:
    counts = evidence.get("difference_counts") or {}
    kinds = [CHANGED_ZH[k] for k in CHANGED_KINDS if counts.get(k)]
    text = f"；改动了{'、'.join(kinds)}" if kinds else ""
    if evidence.get("copier_by") == "leftover-name" and evidence.get("leftover_name"):
        text += f"；文中仍有对方的地名“{evidence['leftover_name']}”"
    return text


#: Why ``doc_id`` was taken for the copy (``evidence.copier_by``), as the English message says it.
_REASON_ZH = {
    "later-year": "；本篇是较晚年度的报告",
    "placeholders": "；本篇仍有未填写的模板字段",
    "lead": "；本篇以对方的文字作导语",
    "machine-wording": "；本篇措辞像机器改写（REW002），对方不像",
    "rewrite": "；本篇是对方的同义词替换改写（REW001）",
}


def _dup(rule: str, rid: str, e: dict, message: str) -> str | None:
    passages = e.get("passages") or []
    if rule == "DUP002" or (rule == "DUP003" and "passage of" in message):
        m = re.search(r"passage of (\d+) characters", message)
        if not m:
            return None
        where = f"与 {rid} 有一段" if rule == "DUP002" else f"从参考库文档 {rid} 抄录了一段"
        text = f"{where} {m.group(1)} 字的相同文字"
        if len(passages) > 1:
            text += f"（共 {len(passages)} 段，{sum(p.get('chars', 0) for p in passages)} 字）"
        return text + _changed(e)
    if "jaccard" not in e or "containment" not in e:
        return None
    what = f"与 {rid} 近似重复" if rule == "DUP001" else f"抄自参考库文档 {rid}"
    text = f"{what}（Jaccard 相似度 {e['jaccard']:.2f}，包含度 {e['containment']:.2f}）"
    if e.get("previous_year"):
        text += "；对方是同一机关上一年度的报告"
    text += _changed(e)
    reason = e.get("copier_by")
    if reason == "order":
        text += "；无法判断哪一篇抄了另一篇"
    elif reason in _REASON_ZH and not (reason == "later-year" and e.get("previous_year")):
        text += _REASON_ZH[reason]
    if (e.get("cluster_size") or 0) >= 3:
        text += f"；属于 {e['cluster_size']} 篇几乎相同的文档之一"
    return text


def _rew(rule: str, rid: str, e: dict, message: str) -> str | None:
    if rule == "REW001":
        subs = e.get("substitutions")
        if not isinstance(subs, list) or "aligned_sentences" not in e:
            return None
        total = sum(int(s.get("count", 1)) for s in subs)
        return (f"对 {rid} 做了同义词替换改写：{e['aligned_sentences']} 个对应句子中替换 {total} 处"
                f"（{len(subs)} 种）")
    if "density" in e:
        text = f"疑似机器改写：列出 {e.get('reported_phrases', e.get('phrases', 0))} 处不通顺的措辞"
        if e.get("weak_phrases"):
            text += f"，另有 {e['weak_phrases']} 处信号较弱、不合公文语体的用词计入密度"
            from ..rewrite.plausibility import listed_words

            shown = listed_words(e.get("weak_words") or [], "、", "等")
            if shown:
                text += f"（{shown}）"
        from ..rewrite.plausibility import density_percent

        return text + f"（加权密度 {density_percent(e['density'])}，共 {e.get('cjk_tokens', '?')} 个词）"
    m = _QUOTED.search(message)
    if not m:
        return None
    text = f"措辞不合常理：“{m.group(2)}”"
    if e.get("likely_original"):
        from ..rewrite.plausibility import likely_phrase

        text += f"（原文可能是“{likely_phrase(m.group(2), e.get('word'), e['likely_original'])}”）"
    return text


def _fig(rule: str, e: dict, message: str) -> str | None:
    if rule == "FIG001":
        if "part_text" in e:
            return f"分项 {e['part_text']} 大于合计 {e['total_text']}"
        if "sum" in e:
            return f"分项之和为 {_num(e['sum'])}，不等于合计 {e.get('total_text', _num(e.get('total')))}"
        return None
    if rule == "FIG002" and "period" in e:
        return f"统计期限“{e['period']}”不在报告年度 {e.get('report_year')} 年内"
    if rule == "FIG003" and "limit" in e:
        if e.get("kind") == "date":
            if not 1 <= int(e.get("month") or 1) <= 12:
                return f"日期 {e['value']} 不存在：没有 {e['month']} 月"
            return f"日期 {e['value']} 不存在：该月只有 {e['limit']} 天"
        if e["limit"] == 100:
            return f"{e.get('metric') or '比率'}为 {_num(e['value'])}%，超过 100%"
        return f"{e.get('metric') or '数量'}为负数：{_num(e['value'])}"
    if rule == "FIG004" and "identity" in e:
        from ..figures.consistency import terms_text

        terms = e.get("terms")
        return (f"表格勾稽关系 {e['identity']} 在“{e['column']}”列不成立：{e['left']} ≠ {e['right']}"
                + (f"（{terms_text(terms, '，')}）" if isinstance(terms, dict) and terms else ""))
    if rule == "FIG005" and "narrative" in e:
        table = e.get("table")
        if isinstance(table, list) and len(table) == 2:
            return (f"正文中受理 {_num(e['narrative'])} 件，既不等于表中新收 {table[0]} 件，"
                    f"也不等于新收加上年结转 {table[1]} 件")
        return f"“{e.get('metric') or '数字'}”正文中为 {_num(e['narrative'])}，表格中为 {table}"
    return None


def _sec(rule: str, e: dict, message: str) -> str | None:
    citation = e.get("citation") or ""
    if rule == "SEC001":
        m = _POSITION.match(message)
        if not m:
            return None
        label = message[m.end():]
        if citation and label.endswith(f" ({citation})"):
            label = label[: -len(citation) - 3]
        basis = "" if not citation else (f"（{citation}）" if "：" in citation else f"（依据：{citation}）")
        return f"缺少必备内容（第 {int(m.group(1))} 项，共 {m.group(2)} 项）：{label}{basis}"
    if rule == "SEC002":
        m = _LABEL.match(message)
        return f"有标题但没有内容：{m.group(1)}" if m else None
    if rule == "SEC003":
        m = _LABEL.match(message)
        where = (_BEFORE.search(message) or _LATE.search(message) or _AFTER.search(message)
                 or _FIRST.search(message))
        if not m or not where:
            return None
        label = m.group(1)[: -len(where.group(0))] if m.group(1).endswith(where.group(0)) else m.group(1)
        if where.re is _FIRST:
            return f"顺序不对：{label} 排在最前面，在 {where.group(1)} 之前"
        if where.re is _BEFORE:
            return f"顺序不对：{label} 排在 {where.group(1)} 之前，应在其后"
        if where.re is _LATE:
            return f"顺序不对：{label} 排在 {where.group(1)} 之后，应在其前"
        return f"顺序不对：{label} 排在 {'、'.join(where.group(1).split(', '))} 之后"
    return None


#: The common reasons of ING001–ING005 in Chinese: (pattern on the English reason, template with
#: its groups). Reasons not listed here (a library's own message) stay in English.
_ING_ZH = [(re.compile(p), t) for p, t in (
    (r"^empty file \(0 bytes\)$", "空文件（0 字节）"),
    (r"^file holds only whitespace$", "文件只有空白字符"),
    (r"^no text in this (\S+) file$", "这个 {0} 文件里没有文字"),
    (r"^no text left after cleaning", "清理后没有剩下文字（只有控制字符、页脚或网站模板内容）"),
    (r"^no document found in the file$", "文件里没有找到文档"),
    (r"^split part (\d+) \('(.*)'\) is empty$", "拆分出的第 {0} 篇（“{1}”）为空"),
    (r"^unsupported file type '([^']*)': supported are ([^;]*); an old Word document",
     "不支持的文件类型“{0}”：支持 {1}；这是旧版 Word 文档，请另存为 .docx 再检查"),
    (r"^unsupported file type '([^']*)': supported are ([^;]*); a WPS document",
     "不支持的文件类型“{0}”：支持 {1}；这是 WPS 文档，请另存为 .docx 再检查"),
    (r"^unsupported file type '([^']*)': supported are ([^;]*); a spreadsheet",
     "不支持的文件类型“{0}”：支持 {1}；这是电子表格，报告中的表格从包含它的 .docx 或 .pdf 读取"),
    (r"^unsupported file type '([^']*)': supported are (.*)$", "不支持的文件类型“{0}”：支持 {1}"),
    (r"^file of ([\d.,]+) MB is over the ([\d.]+) MB limit \(--max-file-mb\): not read$",
     "文件 {0} MB，超过 {1} MB 的上限（--max-file-mb），未读取"),
    (r"^document text of ([\d,]+) characters is over the ([\d,]+)-character limit: not analysed$",
     "文档正文 {0} 字，超过 {1} 字的上限，未分析"),
    (r"^PDF is encrypted with a password: cannot read its text$", "PDF 设有打开密码，无法读取文字"),
    (r"^PDF of (\d+) page\(s\) has no text layer \(scanned image\?\): OCR needed$",
     "PDF 共 {0} 页，没有文字层（扫描件？），需要先做 OCR"),
    (r"^PDF has no pages", "PDF 没有页面（页面树为空或已损坏）"),
    (r"^PDF of (\d+) pages is over the (\d+)-page safety limit: not read$", "PDF 共 {0} 页，超过 {1} 页的安全上限，未读取"),
    (r"^PDF text runs past ([\d,]+) characters", "PDF 文字超过 {0} 字（字符映射或多页共用的内容流把它放大了），未读取"),
    (r"^not a PDF: the file is (.*) \(wrong file extension\?\)$", "不是 PDF：文件实际是 {0}（扩展名写错了？）"),
    (r"^not a \.docx: the file is (.*) \(wrong file extension\?\)$", "不是 .docx：文件实际是 {0}（扩展名写错了？）"),
    (r"^not a PDF: no %PDF- header", "不是 PDF：没有 %PDF- 文件头（其他格式改了扩展名？）"),
    (r"^cannot read PDF \(damaged or truncated file\?\): (.*)$", "无法读取 PDF（文件损坏或不完整？）：{0}"),
    (r"^cannot read PDF: its page content could not be decoded \(damaged stream\?\): (.*)$",
     "无法读取 PDF：页面内容无法解码（数据流损坏？）：{0}"),
    (r"^cannot open file: (.*)$", "无法打开文件：{0}"),
    (r"^cannot read file: the worker process handling it (.*)$", "无法读取文件：处理它的工作进程异常结束（{0}）"),
    (r"^not a regular file \((.*)\): not read$", "不是普通文件（{0}），未读取"),
    (r"^broken symbolic link: its target '(.*)' does not exist$", "符号链接已失效：目标“{0}”不存在"),
    (r"^binary content \((\d+) NUL bytes\): not a text file", "二进制内容（{0} 个 NUL 字节）：不是任何支持编码的文本文件"),
    (r"^not a \.docx: not a ZIP package", "不是 .docx：不是 ZIP 包（纯文本或其他格式改了扩展名？）"),
    (r"^cannot read: the file is a password-protected \(encrypted\) Office document",
     "无法读取：文件是设了密码（已加密）的 Office 文档；请另存一份不设密码的再检查"),
    (r"^mixed encodings: (\d+) line\(s\) are (\S+) and (\d+) line\(s\) are (\S+)",
     "混合编码：{0} 行是 {1}，{2} 行是 {3}（从别的文件粘贴过来的？）；请用同一种编码重新保存"),
    (r"^invalid bytes on line (\d+) \((.*)\): neither UTF-8 nor GB18030 nor UTF-16 nor Big5",
     "第 {0} 行有无效字节（{1}）：既不是 UTF-8、GB18030、UTF-16，也不是 Big5（文件损坏或编码不明）"),
    (r"^PDF page with over (\d+) KB of text operators", "PDF 有一页的文字指令超过 {0} KB（一页文字约 10 KB），未读取"),
    (r"^PDF over a safety limit of the PDF reader \(pypdf\): not read \((.*)\)$",
     "PDF 超出 PDF 读取库（pypdf）的安全限制，未读取（{0}）"),
)]


def _ing(message: str) -> str | None:
    """The Chinese reason of an ING001–ING005 finding (:data:`_ING_ZH`), or None."""
    for pattern, template in _ING_ZH:
        m = pattern.search(message)
        if m:
            return template.format(*m.groups())
    return None


def specific_message_zh(rule: str, message: str, evidence: dict | None = None,
                        related_doc_id: str | None = None) -> str | None:
    """The Chinese message of one finding built from its rule's template, or None when the
    rule has no template (an ING001–ING005 reason not in :data:`_ING_ZH`: a library's own
    message) or the evidence lacks a fact the template needs. Arguments as :func:`message_zh`."""
    e = evidence or {}
    rid = related_doc_id or "?"
    family = rule[:3]
    try:
        if family == "DUP":
            return _dup(rule, rid, e, message)
        if family == "REW":
            return _rew(rule, rid, e, message)
        if family == "PLH" and "table" in e and "rows" in e:
            rows = list(e["rows"])
            return (f"法定表格{e['table']}未填写：{len(rows)} 行共 {e.get('cells', '?')} 个空白单元格"
                    f"（{'、'.join(rows[:3])}{'等' if len(rows) > 3 else ''}）")
        if family == "PLH" and "text" in e:
            kind = _PLACEHOLDER_KIND_ZH.get(e.get("kind"), e.get("kind") or "")
            return f"模板字段未填写：“{e['text']}”" + (f"（{kind}）" if kind else "")
        if family == "FIG":
            return _fig(rule, e, message)
        if family == "SEC":
            return _sec(rule, e, message)
        if rule == "ING006" and e.get("stage"):
            return f"分析环节出错（{e['stage']}），请将文件报告给维护者：{message}"
        if family == "ING":
            return _ing(message)
    except (KeyError, TypeError, ValueError, AttributeError):  # evidence of an unexpected shape
        return None
    return None


def message_zh(rule: str, message: str, evidence: dict | None = None, related_doc_id: str | None = None) -> str:
    """The Chinese message of one finding.

    Parameters
    ----------
    rule : str
        Rule code (``DUP001``…).
    message : str
        The English message (used for the facts only it carries, and as the fallback).
    evidence : dict or None
        The finding's evidence (contract keys).
    related_doc_id : str or None

    Returns
    -------
    str
        A Chinese sentence with the same facts (numbers, names, quoted text unchanged); where
        :func:`specific_message_zh` has none, ``<rule's Chinese name>：<English message>``.
    """
    text = specific_message_zh(rule, message, evidence, related_doc_id)
    if text is None:
        name = RULE_ZH.get(rule)
        text = f"{name}：{message}" if name else message
    return text


def row_message(row: dict, lang: str = "en") -> str:
    """The message of a finding row of the output contract (a dict with ``rule``,
    ``message``, ``evidence``, ``related_doc_id``) in ``lang``: as it is for ``en``,
    :func:`message_zh` of it for ``zh``."""
    if lang != "zh":
        return row["message"]
    return message_zh(row["rule"], row["message"], row.get("evidence"), row.get("related_doc_id"))


def finding_message(finding, lang: str = "en") -> str:
    """``finding.message`` for ``lang="en"``, :func:`message_zh` of it for ``"zh"``.
    ``finding`` is a :class:`~summary_analysis.findings.Finding` (or has its attributes)."""
    if lang != "zh":
        return finding.message
    return message_zh(finding.rule, finding.message, finding.evidence, finding.related_doc_id)


#: Chinese of each reason a file is skipped without being read (:mod:`summary_analysis.ingest.walk`).
SKIP_REASON_ZH: dict[str, str] = {
    walk.NOTE: "说明文件（README/SOURCES），不是报告",
    walk.LOCK_FILE: "正在编辑的文档留下的 Office 锁定文件（~$…），不是报告",
    walk.HIDDEN: "隐藏文件或文件夹（名称以“.”开头），未读取",
    walk.FOLDER_LINK: "指向文件夹的符号链接：不跟随（避免链接循环）",
    walk.LINK_OUTSIDE: "指向文件夹外部文件的符号链接：不跟随（报送材料中的链接可能指向任意可读文件）",
    walk.GIVEN_TWICE: "重复给出：同一文件已以其他路径或名称读取",
    walk.MISSING_TWICE: "重复给出：已报告为不存在（ING001）",
    walk.OWN_REPORT: "本工具生成的检查报告，不是报送材料",
    walk.TABLE_PARTS: "Spark/Hadoop 写出的数据表文件（所在文件夹有 _SUCCESS），不是报送材料",
    walk.OWN_OUTPUT: "本次运行的报告文件（--out），不是报送材料",
    walk.RUN_CHECKLIST: "本次运行的检查表文件（--checklist），不是报送材料",
    walk.RUN_INDEX: "本次运行的参考库文件（--index），不是报送材料",
}


def shown(value, table: dict, lang: str = "en"):
    """``value`` (a code of the output contract: a severity, a verdict, a kind of change, a skip
    reason) as shown in ``lang``: as it is for ``en``; for ``zh`` its entry in ``table`` (one of
    this module's ``*_ZH`` tables), or as it is when it has none (None and "" too)."""
    return table.get(value, value) if lang == "zh" and value else value


def severity_label(severity: str | None, lang: str = "en") -> str | None:
    """A severity (``error``, ``warning``, ``info``) as shown in ``lang``: as it is for ``en``,
    错误/警告/提示 for ``zh``; None stays None."""
    return shown(severity, SEVERITY_ZH, lang)


def verdict_label(verdict: str, lang: str = "en") -> str:
    """A pair's verdict (``near-duplicate``, ``shared-passages``, ``rewrite``, ``distinct``) as shown
    in ``lang`` (:data:`VERDICT_ZH` for ``zh``)."""
    return shown(verdict, VERDICT_ZH, lang)


def change_label(kind: str, lang: str = "en") -> str:
    """The kind of a difference inside a copied passage (``issuer``, ``year``, ``figure``,
    ``placeholder``, ``name``, ``wording``, ``text``; REW001's ``punctuation``) as shown in
    ``lang``: as it is for ``en``, 发布机关/年份/数字/模板占位符/名称/措辞/成段文字/标点 for ``zh``
    (:data:`CHANGED_ZH`)."""
    return shown(kind, CHANGED_ZH, lang)


def skip_reason(reason: str, lang: str = "en") -> str:
    """Why a file was skipped (:class:`~summary_analysis.ingest.Skipped` ``reason``), in
    ``lang``: as it is for ``en``; for ``zh`` from :data:`SKIP_REASON_ZH`, or as it is when the
    reason has no translation."""
    return shown(reason, SKIP_REASON_ZH, lang)


#: The explanation of every rule in Chinese (``summary-analysis rule CODE --lang zh``): the
#: same facts and sources as :attr:`summary_analysis.rules.Rule.explanation`.
RULE_EXPLANATION_ZH: dict[str, str] = {
    "ING001": "文件无法打开，或其字节不能按所支持的任一编码（UTF-8、带 BOM 的 UTF-16、GB18030）解码。"
              "本工具不会用替换字符强行解码：请修复文件，或另存为 UTF-8。",
    "ING002": "只读取 .txt .md .docx .html .htm .pdf 文件。其他格式（如 .doc、.wps）请先转换为 .docx 或 PDF。",
    "ING003": "去掉空白、页脚和网站模板内容后，文件（或从汇编页拆出的某篇文档）没有任何正文。",
    "ING004": "文件超过 --max-file-mb 规定的大小，或其中的压缩内容解压后超过安全上限（压缩炸弹），"
              "或是循环链接。该文件未被读取。",
    "ING005": "PDF 各页没有可提取的文字，通常是扫描件。请先做文字识别（OCR）后提交文字，或提交原始 .docx。",
    "ING006": "文档已读入，但某个逐篇分析环节（结构、数字、改写、要素检查）在该文档上出现内部错误，"
              "或其所在批次的跨文档环节（抄袭检测、成对改写检查）失败；本批次其余部分照常完成，"
              "只是该文档缺少这一环节的结果（evidence.stage 注明是哪个环节）。请将文件报告给维护者。",
    "DUP001": "两篇文档的大部分字符片段（shingle）相同：先用 MinHash LSH 找出候选文档对，再以精确的 "
              "Jaccard 相似度和双向包含度核实；本批次普遍出现的片段和法定格式自带的片段不计入，"
              "但两篇文档文字相同时仍计入（近乎相同，或一篇全文在另一篇中、另一篇只多出一两段）。"
              "国办公开办函〔2021〕30号要求对“内容雷同、敷衍塞责”的报告追究责任。该问题记在疑似抄袭的一方："
              "经 REW001 认定为对方同义词改写稿的一方；否则是年份较晚的一方；再否则依次是留有未填模板字段、"
              "导语照抄、残留对方地名、或措辞被 REW002 判为机器改写的一方；都无法判断时记在排序在后的一方，"
              "并在说明中注明无法判断谁抄袭谁。",
    "DUP002": "两篇文档中有一段 60 字以上的文字相同（允许其中有名称、年份、数字等小改动）。"
              "本批次中三篇及以上文档都有的套话不报告。",
    "DUP003": "该文档与用 `summary-analysis index add` 存入参考库的文档（往年报告、模板页等）相符。",
    "REW001": "对齐后的句子结构不变，但有伪原创工具式的词语替换（公开→果然、电话→德律风）："
              "该文档是另一篇文档经同义词替换工具改写的结果。句子按原文顺序出现，或在被挪动的段落中"
              "仍按原文先后相接时计入。词语用 difflib 的匹配算法对齐（Ratcliff 和 Obershelp，"
              "“Pattern Matching: the Gestalt Approach”，Dr. Dobb's Journal，1988）；"
              "改写稿按抄袭论处（国办公开办函〔2021〕30号：“内容雷同、敷衍塞责”）。",
    "REW002": "出现没有人会这样写的词语（政务果然、德律风、以工钱本），换回常用同义词即成为本领域的常见搭配；"
              "这类词语足够密集时，即使找不到原文，也将该文档标为机器改写"
              "（参见 Cabanac 等 2021 年关于“tortured phrases”的研究）。",
    "PLH001": "正文中留有模板字段：名称处的 XX/××/某某/【单位名称】，数字处的 ▲/△ 或 X件，"
              "年份处的 20xx/xx年，（文字描述）之类的填写提示，连续下划线、空括号和用空格代替的日期；"
              "以及法定表格中整行空白（每张表一个问题，列出各空行）。",
    "FIG001": "作为总数一部分（其中……）的数字大于总数，或穷尽列举的分项（分别……）之和不等于总数。",
    "FIG002": "统计期限写的是另一年份，而非报告所属年度：通常是把上一年的报告照搬过来。"
              "《政府信息公开条例》第五十条要求报告本年度的情况。",
    "FIG003": "比率（……率、满意度、占比）超过 100%，数量为负，或日期在日历上不存在（2024年2月30日、13月1日）。"
              "增长（增长率、同比增长）以及目标或计划的完成情况（完成率、完成年度目标的……%）可以超过 100%，不报告。",
    "FIG004": "国办公开办函〔2021〕30号 表三：一 + 二 = （七）总计 + 四，（七） = （一）+…+（六）；"
              "表四：每个总计等于其四个结果栏之和。",
    "FIG005": "正文中的数字与法定表格中同一项的数字不一致。",
    "SEC001": "检查表要求的某一项（如《政府信息公开条例》第五十条和 2021 年全国格式规定的六个部分）"
              "既没有对应的标题，也没有相应内容。",
    "SEC002": "该项有标题但没有内容（只有（文字描述）之类的提示、模板字段，或没有数字的表格）。",
    "SEC003": "各项的先后顺序与格式规定的顺序不同。",
}
