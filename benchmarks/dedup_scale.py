"""Copy detection at scale: batches of 1k, 5k and 20k synthetic reports.

Reports (~2,000 characters each) are made by code from sentence templates whose slots are filled
from word pools (stock phrases every report shares) and with project and place names made of
random common characters (the content of each report's own). Into each batch we plant:

- 5% copies: an existing report with its issuer, contact name and year changed and half of its
  figures replaced (expected: DUP001 between copy and source);
- 5% passage copies: a run of 3–5 consecutive sentences (>= 150 characters) of one report pasted
  into another, unrelated report (expected: DUP002, or DUP001, between the two).

Every report takes part in at most one planted pair. Printed per size: DUP-stage time
(:func:`summary_analysis.similarity.detect_copies`), whole-check time (:func:`analyze`, all
stages), peak memory (maximum resident set size of the process running that size), candidate
pairs, planted recall and precision; then the growth ratio time(20k)/time(5k) of the DUP stage.

Run from the repository root::

    python benchmarks/dedup_scale.py                 # 1000 5000 20000, whole check up to 1000
    python benchmarks/dedup_scale.py --sizes 1000 --no-whole

Each size runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

COMMON = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
          "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
          "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
          "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件"
          "长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色"
          "光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清美再采转更单风切打白教速花"
          "带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研"
          "界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团"
          "往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
          "圆包火住调满县局照参红细引听该铁价严龙飞")
FIRST = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
SUBJECTS = ["我{o}", "{o}党组", "{o}办公室", "全{o}各部门", "{o}政务公开领导小组", "{o}各科室", "{o}信息公开工作专班"]
VERBS = ["持续推进", "认真落实", "不断完善", "扎实开展", "深入推进", "切实加强", "全面规范", "积极探索", "着力提升", "大力推动",
         "稳步推进", "统筹抓好", "严格执行", "主动做好", "进一步健全"]
OBJECTS = ["政务公开标准化规范化建设", "依申请公开办理工作", "重大决策预公开", "政策解读和回应关切", "政府网站集约化建设",
           "政务新媒体管理", "基层政务公开", "信息发布审核机制", "公开目录动态调整", "政府信息管理", "政务服务事项公开",
           "财政预决算信息公开", "重点领域信息公开", "公开平台运维", "监督考核工作", "业务培训工作", "政府开放日活动",
           "保密审查制度", "公开专栏建设", "民生实事公开"]
GOALS = ["确保公开内容全面准确", "切实保障群众知情权", "不断提升公开质效", "推动公开工作制度化", "让群众看得懂用得上",
         "有效回应社会关切", "营造良好舆论氛围", "促进权力规范运行", "提高政府公信力", "方便群众办事"]
TEMPLATES = [
    "{year}年，{subj}{verb}{obj}，围绕{proj}{verb2}{obj2}，全年发布相关信息{n1}条，{goal}。",
    "{subj}把{obj}作为重点，依托{place}和{proj}，{verb}{obj2}，累计开展{proj2}{n1}次，{goal}。",
    "在{proj}中，{subj}{verb}{obj}，会同{place}{verb2}{proj2}，受理群众诉求{n1}件，按时办结率{pct}%。",
    "针对{proj}推进中的难点，{subj}组织召开专题会议{n1}次，{verb}{obj}，{goal}。",
    "{subj}在{place}设立{proj}公开栏{n1}处，{verb}{obj2}，全年更新内容{n2}条，{goal}。",
    "围绕{proj}和{proj2}，{subj}{verb}{obj}，编制解读材料{n1}篇，其中图文解读{n2}篇，{goal}。",
    "{subj}联合{place}开展{proj}专项检查，发现并整改问题{n1}个，{verb2}{obj2}。",
    "{year}年{subj}共收到政府信息公开申请{n1}件，其中涉及{proj}的{n2}件，均在法定期限内答复。",
    "{person}同志牵头负责{proj}，{subj}{verb}{obj}，先后召开推进会{n1}次，{goal}。",
    "下一步，{subj}将继续围绕{proj}{verb}{obj}，着力解决{place}{proj2}中存在的突出问题。",
]


class Generator:
    """Seeded synthetic reports; ``report(i)`` is deterministic for a given seed."""

    def __init__(self, seed: int = 20240601) -> None:
        self.seed = seed

    @staticmethod
    def _word(rng: random.Random) -> str:
        return "".join(rng.choice(COMMON) for _ in range(rng.choice((2, 3, 3, 4))))

    def project(self, rng: random.Random) -> str:
        """A project name: a fresh word plus a common suffix (projects are local to a report)."""
        return self._word(rng) + rng.choice(["工程", "行动", "项目", "专项", "计划", "平台"])

    def place(self, rng: random.Random) -> str:
        return self._word(rng) + rng.choice(["社区", "村", "园区", "服务中心", "街道"])

    def issuer(self, rng: random.Random) -> str:
        return rng.choice(COMMON) + rng.choice(COMMON) + rng.choice(["县", "区", "市"]) + rng.choice(
            ["人民政府", "人民政府办公室", "教育局", "卫生健康委员会", "财政局", "自然资源局"])

    def sentence(self, rng: random.Random, org: str, year: int, person: str) -> str:
        t = rng.choice(TEMPLATES)
        return t.format(
            year=year, subj=rng.choice(SUBJECTS).format(o=org[-4:] if len(org) > 4 else org),
            verb=rng.choice(VERBS), verb2=rng.choice(VERBS), obj=rng.choice(OBJECTS), obj2=rng.choice(OBJECTS),
            goal=rng.choice(GOALS), proj=self.project(rng), proj2=self.project(rng),
            place=self.place(rng), n1=rng.randint(2, 999), n2=rng.randint(1, 300),
            pct=rng.choice([95, 98, 99, 100]), person=person)

    def report(self, i: int, target_chars: int = 2000) -> dict:
        rng = random.Random(self.seed * 1_000_003 + i)
        issuer = self.issuer(rng)
        year = rng.choice([2022, 2023, 2024])
        person = rng.choice(FIRST) + rng.choice(COMMON) + rng.choice(COMMON)
        title = f"{issuer}{year}年政府信息公开工作年度报告"
        paras, chars, sentences = [], 0, []
        heads = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
        k = 0
        while chars < target_chars:
            para = [self.sentence(rng, issuer, year, person) for _ in range(rng.randint(3, 5))]
            sentences.append(para)
            head = heads[k] if k < len(heads) else None
            k += 1
            text = ((head + "\n") if head else "") + "".join(para)
            paras.append(text)
            chars += len(text)
        body = f"{title}\n{issuer}\n" + "\n".join(paras) + f"\n联系人：{person}\n"
        return {"title": title, "text": body, "issuer": issuer, "year": year, "person": person}


def make_batch(n: int, seed: int = 20240601):
    """``(documents, planted_copies, planted_passages)``; planted sets hold sorted doc_id pairs."""
    from summary_analysis.document import Document

    gen = Generator(seed)
    rng = random.Random(seed + n)
    n_copy = n_pass = round(0.05 * n)
    n_base = n - n_copy
    base = [gen.report(i) for i in range(n_base)]
    ids = [f"r{i:06d}.txt" for i in range(n_base)]
    order = list(range(n_base))
    rng.shuffle(order)
    copy_src = order[:n_copy]
    pass_src = order[n_copy:n_copy + n_pass]
    pass_dst = order[n_copy + n_pass:n_copy + 2 * n_pass]
    copies, passages = set(), set()
    texts = [r["text"] for r in base]
    for s, d in zip(pass_src, pass_dst):
        src_sent = [x for x in _sentences(texts[s]) if len(x) > 10]
        k = rng.randint(3, 5)
        while True:
            st = rng.randrange(0, max(1, len(src_sent) - k))
            chunk = "".join(src_sent[st:st + k])
            if len(chunk) >= 150 or k >= len(src_sent):
                break
            k += 1
        lines = texts[d].split("\n")
        at = rng.randrange(2, len(lines) - 1)
        lines[at] = lines[at] + chunk
        texts[d] = "\n".join(lines)
        passages.add(tuple(sorted((ids[s], ids[d]))))
    docs = [Document(ids[i], base[i]["title"], texts[i], ids[i]) for i in range(n_base)]
    for c, s in enumerate(copy_src):
        r = base[s]
        new_issuer = gen.issuer(rng)
        new_person = rng.choice(FIRST) + rng.choice(COMMON) + rng.choice(COMMON)
        new_year = r["year"] + 1
        t = texts[s].replace(r["issuer"], new_issuer).replace(r["person"], new_person)
        t = t.replace(f"{r['year']}年", f"{new_year}年")
        t = _change_half_figures(t, rng)
        cid = f"c{c:06d}.txt"
        docs.append(Document(cid, t.split("\n", 1)[0], t, cid))
        copies.add(tuple(sorted((ids[s], cid))))
    return docs, copies, passages


def _sentences(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text.replace("\n", ""):
        cur += ch
        if ch == "。":
            out.append(cur)
            cur = ""
    return out


def _change_half_figures(text: str, rng: random.Random) -> str:
    import re

    def sub(m):
        s = m.group(0)
        if len(s) == 4 and s.startswith("20"):
            return s
        return str(int(s) + rng.randint(1, 50)) if rng.random() < 0.5 else s

    return re.sub(r"\d+", sub, text)


def run_size(n: int, whole: bool) -> dict:
    """Build one batch, time the DUP stage (and the whole check), score the planted pairs."""
    from summary_analysis.similarity import detect_copies

    t0 = time.perf_counter()
    docs, copies, passages = make_batch(n)
    gen_s = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    result = detect_copies(docs)
    dup_s = time.perf_counter() - t0
    rss_dup = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = {}
    for f in result.findings:
        found.setdefault(tuple(sorted((f.doc_id, f.related_doc_id))), set()).add(f.rule)
    copy_hit = sum(1 for p in copies if "DUP001" in found.get(p, ()))
    pass_hit = sum(1 for p in passages if found.get(p, set()) & {"DUP001", "DUP002"})
    planted = copies | passages
    true_pos = sum(1 for p in found if p in planted)
    out = {"n": len(docs), "generate_s": round(gen_s, 1), "dup_s": round(dup_s, 2),
           "rss_before_mb": round(rss_before), "peak_rss_dup_mb": round(rss_dup),
           "candidates": len(result.candidates), "pairs": len(result.pairs), "findings": len(result.findings),
           "copy_recall": round(copy_hit / max(1, len(copies)), 4),
           "passage_recall": round(pass_hit / max(1, len(passages)), 4),
           "recall": round((copy_hit + pass_hit) / max(1, len(planted)), 4),
           "precision": round(true_pos / max(1, len(found)), 4)}
    if whole:
        from summary_analysis import analyze

        t0 = time.perf_counter()
        analyze(docs)
        out["check_s"] = round(time.perf_counter() - t0, 1)
        out["peak_rss_check_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--no-whole", action="store_true", help="time the DUP stage only")
    ap.add_argument("--whole-max", type=int, default=1000,
                    help="time the whole check only for batches up to this size (default 1000: the "
                         "per-document stages cost 0.1-0.25 s a report on a loaded 2-core machine)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(args.child, not args.no_whole)))
        return
    results = {}
    for n in args.sizes:
        whole = not args.no_whole and n <= args.whole_max
        cmd = [sys.executable, __file__, "--child", str(n)] + ([] if whole else ["--no-whole"])
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode:
            print(f"size {n} failed:\n{run.stderr}", file=sys.stderr)
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        results[n] = r
        line = (f"n={r['n']}: DUP stage {r['dup_s']:.2f} s, peak RSS {r['peak_rss_dup_mb']} MB "
                f"(before DUP {r['rss_before_mb']} MB); candidates {r['candidates']}, findings {r['findings']}; "
                f"recall {r['recall']:.4f} (copies {r['copy_recall']:.4f}, passages {r['passage_recall']:.4f}), "
                f"precision {r['precision']:.4f}")
        if "check_s" in r:
            line += f"; whole check {r['check_s']:.1f} s, peak RSS {r['peak_rss_check_mb']} MB"
        print(line, flush=True)
    if 5000 in results and 20000 in results:
        g = results[20000]["dup_s"] / results[5000]["dup_s"]
        line = f"growth ratio DUP time(20k)/time(5k) = {g:.2f} (linear would be 4.0)"
        if "check_s" in results[20000] and "check_s" in results[5000]:
            line += f"; whole check {results[20000]['check_s'] / results[5000]['check_s']:.2f}"
        print(line)


if __name__ == "__main__":
    main()
