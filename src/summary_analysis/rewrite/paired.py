"""REW001, paired: one document is a synonym-substituted rewrite of another.

For a candidate pair, sentences are aligned, then tokens (:mod:`.align`). A replace block is a
*lexical substitution* when both sides are Chinese words that are not names, numerals, dates or
template marks; otherwise it is a *difference* of the kind a copy with names and figures changed
shows (that is DUP's business, not a rewrite). The pair is a rewrite when enough aligned
sentences keep their structure but differ by many distinct lexical substitutions.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial
from math import exp, lgamma

from ..document import Document, Span
from ..findings import Finding
from ..segment import Tokens, cut, loaded_backend, segment
from ..similarity.evidence import short_edit_kind
from . import resources as res
from .align import TokenPositions, align_sentences, changed_core, sentences, token_substitutions, word_pairs

# Decision thresholds (see the benchmark, benchmarks/rewrite.py).
MIN_ALIGNED_SENTENCES = 3
MIN_ALIGNED_SHARE = 0.3       # share of the shorter document's characters in aligned sentences
MIN_DISTINCT_PAIRS = 5        # distinct lexical substitution pairs
MIN_SUBSTITUTED_SENTENCES = 0.3  # share of aligned sentences with a lexical substitution
MIN_SUBSTITUTED_TOKENS = 0.015   # lexical substitution blocks per aligned token
MIN_BLOCK_SENTENCES = 2       # aligned sentences in a row that count wherever their block moved
MIN_BLOCK_SUCCESSIONS = 6     # ... when their runs keep this many neighbours (chance: 6e-4)
MIN_BLOCK_SHARE = 0.3         # ... and hold this share of the aligned sentences
MAX_CHAIN_CHANCE = 0.05       # an in-order chain that a random order gives this often does not count
MIN_CHAIN_SHARE = 0.8         # ... unless it holds this share of the aligned sentences
VERBATIM_RATIO = 0.98         # an aligned pair this similar is a verbatim copy (DUP's business)
_NAME_TAGS = ("nr", "ns", "nt", "m", "t", "eng", "q")
_NOT_WORD = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ×＊*▲△○□_＿]")


@dataclass
class PairComparison:
    """What the alignment of two documents found (``a`` is the suspected rewrite).

    Attributes
    ----------
    aligned : list of SentencePair
    substitutions : dict
        ``(original, replacement) -> list of (span_in_a, span_in_b)``, original from ``b``: the
        evidence, pieces of long replace blocks (:func:`.align.split_block`) included.
    counted_pairs : set of (str, str)
        The distinct pairs that count for the decision (:meth:`is_rewrite`), as
        ``substituted_blocks`` and ``substituted_sentences`` do: those of short replace blocks
        only. Pieces of long blocks are evidence but do not count: reports written apart from
        the same stock sentences have long reworded stretches too, whose pieces look like word
        swaps (counting them doubled the REW001 on pairs of such reports: 21 to 43 of 1,890).
    differences : list of dict
        Non-lexical replace blocks ``{"kind", "text", "related_text"}`` (names, figures).
    aligned_chars_a, aligned_chars_b : int
    aligned_tokens, substituted_blocks, substituted_sentences : int
    candidates : int
        Sentence pairs the alignment found before the order rule kept ``aligned`` of them.
    moved : bool
        ``aligned`` holds moved blocks (:func:`kept_alignments`), not only the in-order chain.
    """

    aligned: list = field(default_factory=list)
    substitutions: dict = field(default_factory=lambda: defaultdict(list))
    counted_pairs: set = field(default_factory=set)
    differences: list = field(default_factory=list)
    aligned_chars_a: int = 0
    aligned_chars_b: int = 0
    aligned_tokens: int = 0
    substituted_blocks: int = 0
    substituted_sentences: int = 0
    candidates: int = 0
    moved: bool = False

    def is_rewrite(self, len_a: int, len_b: int) -> bool:
        """The decision rule: see the module constants. An in-order chain must also be longer
        than a random order of the ``candidates`` would give (:func:`chain_chance` at most
        :data:`MAX_CHAIN_CHANCE`), unless it holds :data:`MIN_CHAIN_SHARE` of them (a short
        text kept in order cannot show more: 3 of 3 has a chance of 1/6); moved blocks passed
        a test of their own (:func:`kept_alignments`)."""
        n = len(self.aligned)
        if n < MIN_ALIGNED_SENTENCES:
            return False
        candidates = max(self.candidates, n)
        if (not self.moved and n < MIN_CHAIN_SHARE * candidates
                and chain_chance(n, candidates) > MAX_CHAIN_CHANCE):
            return False
        share = max(self.aligned_chars_a / max(len_a, 1), self.aligned_chars_b / max(len_b, 1))
        if share < MIN_ALIGNED_SHARE:
            return False
        if len(self.counted_pairs) < MIN_DISTINCT_PAIRS:
            return False
        if self.substituted_sentences / n < MIN_SUBSTITUTED_SENTENCES:
            return False
        return self.substituted_blocks / max(self.aligned_tokens, 1) >= MIN_SUBSTITUTED_TOKENS


def chain_chance(k: int, n: int) -> float:
    """Upper bound of the chance that ``n`` aligned sentences in random order have an in-order
    chain (:func:`in_order`) of ``k`` or more: the expected number of increasing subsequences
    of length k of a random permutation of n, ``C(n, k) / k!`` (each k-subset is in order with
    chance 1/k!; the longest is about 2 sqrt(n) long: B. F. Logan and L. A. Shepp, 1977;
    A. M. Vershik and S. V. Kerov, 1977). A ratio in 0..1, clipped at 1.

    Short reports written from one pool of stock sentences align 10-24 sentences, and chance
    orders gave chains of a third to a half of them, enough for REW001: a review found 85 of
    435 pairs of 24-sentence stock reports flagged. At :data:`MAX_CHAIN_CHANCE` 0.05, 2 of
    them are; a spun copy keeps nearly all its sentences in order (10 of 10: 1/10! = 3e-7).
    """
    if k <= 0 or n <= 0:
        return 1.0
    k = min(k, n)
    return min(1.0, exp(lgamma(n + 1) - lgamma(n - k + 1) - 2 * lgamma(k + 1)))


def _is_lexical(a: str, b: str, words) -> bool:
    if not (res.CJK.match(a) and res.CJK.match(b)):
        return False
    if _NOT_WORD.search(a) or _NOT_WORD.search(b):
        return False
    for w in (a, b):
        tag = words.get(w, (0, ""))[1]
        if tag.startswith(_NAME_TAGS):
            return False
    return True


_YEAR = re.compile(r"(?:19|20)\d{2}")
_WORDLESS = re.compile(r"[^\w]*")


def _difference_kind(a: str, b: str) -> str:
    """The kind of a non-synonym difference of a rewrite, in the terms of the copy findings'
    ``differences`` (:func:`summary_analysis.similarity.evidence.short_edit_kind`): ``year``,
    ``figure``, ``placeholder`` (×, ▲, X left in), ``punctuation`` (only punctuation or spaces
    changed: ，→,), ``name`` or ``wording``."""
    if _YEAR.fullmatch(a) and _YEAR.fullmatch(b):
        return "year"
    if re.search(r"[0-9０-９]", a + b):
        return "figure"
    if re.search(r"[×＊*▲xX]", a + b):
        return "placeholder"
    if _WORDLESS.fullmatch(a) and _WORDLESS.fullmatch(b):
        return "punctuation"
    return short_edit_kind(a, b)


def in_order(pairs: list) -> list:
    """The longest chain of aligned sentences that keeps the same order in both documents.

    A spinner rewrites a text sentence by sentence in place, so its aligned sentences follow the
    source's order. Two independent reports written from the same stock sentences (一是…, 进一步
    完善…) align sentences from scattered places; those crossing alignments are dropped here, so
    they cannot add up to a "rewrite".

    Parameters
    ----------
    pairs : list of SentencePair
        Sorted by position in the first document (:func:`.align.align_sentences`).

    Returns
    -------
    list of SentencePair
        A longest subsequence whose positions in the second document increase too (patience
        sorting, O(n log n)); ties go to the chain found first, so the result is deterministic.
    """
    tails: list[int] = []       # smallest b-start ending a chain of each length
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for i, p in enumerate(pairs):
        k = bisect.bisect_left(tails, p.b.span[0])
        if k == len(tails):
            tails.append(p.b.span[0])
            tail_idx.append(i)
        else:
            tails[k] = p.b.span[0]
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k else -1
    chain, i = [], tail_idx[-1] if tail_idx else -1
    while i >= 0:
        chain.append(pairs[i])
        i = prev[i]
    return chain[::-1]


def moved_blocks(pairs: list) -> list[list]:
    """Runs of aligned sentences that follow one another in both documents, at least
    :data:`MIN_BLOCK_SENTENCES` long, wherever the run stands: paragraphs moved as a whole.

    A spinner that also shuffles paragraphs keeps the sentences of each paragraph in order, so
    its blocks are runs here, while the longest in-order chain (:func:`in_order`) keeps only
    some of them.

    ``pairs`` is a list of SentencePair as :func:`in_order` takes it. Returns the runs, each a
    list of SentencePair, in the order of ``pairs``. A run is a stretch of ``pairs`` whose
    ranks in the second document (among the aligned sentences, so sentences aligned with
    nothing may lie between) go up by one at each step.
    """
    by_b = sorted(range(len(pairs)), key=lambda k: pairs[k].b.span[0])
    rank = [0] * len(pairs)
    for r, k in enumerate(by_b):
        rank[k] = r
    runs: list[list] = []
    start = 0
    for k in range(1, len(pairs) + 1):
        if k == len(pairs) or rank[k] != rank[k - 1] + 1:
            if k - start >= MIN_BLOCK_SENTENCES:
                runs.append(pairs[start:k])
            start = k
    return runs


def kept_alignments(pairs: list, chain: list | None = None) -> list:
    """The aligned sentences that count for REW001, in the order of ``pairs`` (sorted by
    position in the first document): the longest in-order chain (``chain``, computed by
    :func:`in_order` when None), and the moved blocks (:func:`moved_blocks`) when they are
    more than chance gives.

    That is: their runs keep at least :data:`MIN_BLOCK_SUCCESSIONS` neighbours (a sentence and
    the next one in both documents) and hold at least :data:`MIN_BLOCK_SHARE` of ``pairs``. In
    a random order the number of such neighbours (successions of a random permutation) tends
    to a Poisson law of mean 1 whatever the number of sentences (J. Riordan, *An Introduction
    to Combinatorial Analysis*, 1958), so 6 or more come by chance about 6 times in 10,000.
    The share alone was not enough: with 4-20 aligned sentences, random orders passed it 20-55%
    of the time, and short reports written from the same stock sentences got REW001. A spun copy
    of a real report of corpus/ whose paragraphs were shuffled keeps 40-100% of its aligned
    sentences in blocks.
    """
    chain = in_order(pairs) if chain is None else chain
    runs = moved_blocks(pairs)
    in_runs = sum(map(len, runs))
    if in_runs - len(runs) < MIN_BLOCK_SUCCESSIONS or in_runs < MIN_BLOCK_SHARE * len(pairs):
        return chain
    keep = {id(p) for p in chain}.union(id(p) for run in runs for p in run)
    return [p for p in pairs if id(p) in keep]


def _comparison(aligned: list, tokens_a: TokenPositions, tokens_b: TokenPositions, candidates: int,
                moved: bool) -> PairComparison:
    words = res.lexicon().words  # (as res.jieba_dictionary(), unpacked as it is read)
    out = PairComparison(candidates=candidates, moved=moved)
    for pair in aligned:
        subs, equal, n_tokens = token_substitutions(pair, tokens_a, tokens_b)
        lexical = [s for s in subs if _is_lexical(s.a_text, s.b_text, words)]
        counted = [s for s in lexical if not s.piece]
        out.aligned.append(pair)
        out.aligned_chars_a += len(pair.a.text)
        out.aligned_chars_b += len(pair.b.text)
        out.aligned_tokens += n_tokens
        out.substituted_blocks += len(counted)
        out.substituted_sentences += bool(counted)
        out.counted_pairs.update((s.b_text, s.a_text) for s in counted)
        for s in lexical:
            out.substitutions[(s.b_text, s.a_text)].append((s.a_span, s.b_span))
        for s in subs:
            if not _is_lexical(s.a_text, s.b_text, words):
                out.differences.append({"kind": _difference_kind(s.a_text, s.b_text),
                                        "text": s.a_text, "related_text": s.b_text})
    return out


def align_past_verbatim(text_a: str, text_b: str) -> list:
    """:func:`.align.align_sentences`, then a sentence of ``text_b`` copied verbatim into
    ``text_a`` (difflib ratio >= :data:`VERBATIM_RATIO`) pairs with its rewritten copy instead,
    when ``text_a`` has one too.

    A spun copy may open with a verbatim 导语 of the source's first paragraph and then give the
    same paragraph respun (the seed page's 篇4): the one-to-one alignment, best pair first,
    gives each of those source sentences to its verbatim copy, so the respun sentences find no
    partner and their substitutions are lost. Here the sentences of ``text_a`` left without a
    partner are aligned again, on the verbatim-copied sentences of ``text_b`` only. A pair found
    there that has a neighbour among them (the next or the previous sentence in both texts: a
    rewritten paragraph, two sentences or more) replaces the verbatim pair of its ``text_b``
    sentence (the verbatim copy is the copy stage's business: DUP002); every other pair stays
    as it was.

    Returns
    -------
    list of SentencePair
        Sorted by position in ``text_a``; one-to-one, as the plain alignment. Raises nothing.
        (The sentences are split again here, only for texts that share a verbatim sentence.)
    """
    pairs = align_sentences(text_a, text_b)
    verbatim = {p.b.span for p in pairs if p.ratio >= VERBATIM_RATIO}
    if not verbatim:
        return pairs
    sentences_b = sentences(text_b)
    paired_a = frozenset(p.a.span for p in pairs)
    others_b = frozenset(s.span for s in sentences_b) - verbatim
    rewritten = align_sentences(text_a, text_b, skip_a=paired_a, skip_b=others_b)
    # a rewritten paragraph, not a lone sentence of the same pattern as a copied one (一是加强领导，
    # 确保…到位 beside 二是加强制度建设，确保…到位): keep the pairs with a neighbour among them, the
    # next or previous sentence in both texts
    index_a = {s.span: i for i, s in enumerate(sentences(text_a))}
    index_b = {s.span: i for i, s in enumerate(sentences_b)}
    at = {(index_a[p.a.span], index_b[p.b.span]) for p in rewritten}
    rewritten = [p for p in rewritten
                 if {(index_a[p.a.span] + d, index_b[p.b.span] + d) for d in (-1, 1)} & at]
    if not rewritten:
        return pairs
    replaced = {p.b.span for p in rewritten}
    return sorted([p for p in pairs if p.b.span not in replaced] + rewritten, key=lambda p: p.a.span)


def compare(doc_a: Document, tokens_a: Tokens, doc_b: Document, tokens_b: Tokens) -> PairComparison:
    """Align ``doc_a`` (suspected rewrite) on ``doc_b`` (suspected source) and collect the
    lexical substitutions and other differences.

    Sentences are aligned by :func:`align_past_verbatim`. Only aligned sentences in the same
    order in both documents count, and runs of them that moved as a whole when there are more
    than chance gives (:func:`kept_alignments`). Moved
    blocks only ever add findings: when the kept sentences do not make a rewrite
    (:meth:`PairComparison.is_rewrite`) but the in-order chain alone does (the added sentences
    can lower its shares), the comparison of the chain is returned.

    Returns
    -------
    PairComparison
    """
    pairs = align_past_verbatim(doc_a.text, doc_b.text)
    if not pairs:
        return PairComparison()
    positions_a, positions_b = TokenPositions(tokens_a), TokenPositions(tokens_b)
    chain = in_order(pairs)
    kept = kept_alignments(pairs, chain)
    out = _comparison(kept, positions_a, positions_b, len(pairs), len(kept) > len(chain))
    if len(kept) > len(chain) and not out.is_rewrite(len(doc_a.text), len(doc_b.text)):
        alone = _comparison(chain, positions_a, positions_b, len(pairs), False)
        if alone.is_rewrite(len(doc_a.text), len(doc_b.text)):
            return alone
    return out


def _density(model, text: str, tokens: Tokens) -> float:
    """REW002 density of one document, reusing the per-document stage's assessment when the
    model remembers it (:meth:`PlausibilityModel.density`)."""
    if hasattr(model, "density"):
        return model.density(text, tokens)
    return model.assess(text, tokens).density


def _rewrite_side(documents: dict, tokens: dict, a: str, b: str, model) -> tuple[str, str]:
    """Which of the two is the rewrite: the one with more implausible wording (REW002 density);
    ties: the one that sorts second."""
    da = _density(model, documents[a].text, tokens[a])
    db = _density(model, documents[b].text, tokens[b])
    if da > db:
        return a, b
    if db > da:
        return b, a
    return (b, a) if a < b else (a, b)


def detect_paired_rewrites(documents: dict[str, Document], tokens: dict[str, Tokens],
                           candidates: list[tuple[str, str]], *, model=None) -> list[Finding]:
    """REW001 findings for candidate pairs whose aligned sentences differ by word substitutions.

    Parameters
    ----------
    documents : dict
        ``doc_id -> Document``.
    tokens : dict
        ``doc_id -> Tokens`` (``segment(text)``); missing entries are segmented here.
    candidates : list of (str, str)
        Document pairs to check (from the copy stage's low-threshold LSH candidates); unknown
        ids and self-pairs are skipped.
    model : plausibility.PlausibilityModel, optional
        Used to tell which document is the rewrite; the shipped one by default.

    Returns
    -------
    list of Finding
        One REW001 per rewritten pair: ``doc_id`` the rewrite, ``related_doc_id`` the source,
        ``span``/``evidence.related_span`` from the first to the last aligned sentence;
        evidence ``substitutions`` (``{"original", "replacement", "count", "changed_original",
        "changed_replacement", "occurrences": [{"span", "related_span"}]}``, original from
        ``related_doc_id``, most frequent first), ``passages``, ``differences``,
        ``aligned_sentences``, ``substituted_tokens`` (ratio 0..1).
    """
    from .plausibility import default_model

    model = model or default_model()
    toks = dict(tokens)
    seen = set()
    out: list[Finding] = []
    for x, y in sorted({tuple(sorted(p)) for p in candidates if len(p) == 2}):
        if x == y or x not in documents or y not in documents or (x, y) in seen:
            continue
        seen.add((x, y))
        for d in (x, y):
            if d not in toks:
                toks[d] = segment(documents[d].text)
        a, b = _rewrite_side(documents, toks, x, y, model)
        cmp_ = compare(documents[a], toks[a], documents[b], toks[b])
        if not cmp_.is_rewrite(len(documents[a].text), len(documents[b].text)):
            continue
        out.append(_finding(a, b, cmp_))
    return sorted(out, key=Finding.sort_key)


@lru_cache(maxsize=4096)
def _word_pairs(original: str, replacement: str) -> tuple[tuple[str, str], ...]:
    # with the segmenter the run has loaded: a fast run loaded jieba's dictionary here too
    # (about 1 s and 100 MB more in each worker)
    return tuple(word_pairs(original, replacement, partial(cut, backend=loaded_backend())))


def _finding(a: str, b: str, c: PairComparison) -> Finding:
    subs = []
    for (orig, rep), occ in c.substitutions.items():
        co, cr = changed_core(orig, rep)
        subs.append({"original": orig, "replacement": rep, "count": len(occ),
                     "changed_original": co, "changed_replacement": cr,
                     "occurrences": [{"span": list(sa), "related_span": list(sb)}
                                     for sa, sb in sorted(occ)]})
    subs.sort(key=lambda s: (-s["count"], s["original"], s["replacement"]))
    words: Counter = Counter()
    for s in subs:
        for pair in _word_pairs(s["original"], s["replacement"]):
            words[pair] += s["count"]
    span_a = (c.aligned[0].a.span[0], max(p.a.span[1] for p in c.aligned))
    starts_b = [p.b.span for p in c.aligned]
    span_b = (min(s[0] for s in starts_b), max(s[1] for s in starts_b))
    passages = [{"span": list(p.a.span), "related_span": list(p.b.span), "chars": len(p.a.text),
                 "ratio": round(p.ratio, 3)} for p in c.aligned]
    total = sum(s["count"] for s in subs)
    diffs = Counter((d["kind"], d["text"], d["related_text"]) for d in c.differences)
    return Finding(
        "REW001", a,
        f"synonym rewrite of {b}: {total} substitutions ({len(subs)} distinct) in "
        f"{len(c.aligned)} aligned sentences",
        span=Span(*span_a), related_doc_id=b,
        evidence={"related_span": list(span_b), "substitutions": subs, "passages": passages,
                  "differences": [{"kind": k, "text": t, "related_text": r, "count": diffs[(k, t, r)]}
                                  for k, t, r in sorted(diffs)],
                  "word_pairs": [{"original": o, "replacement": r, "count": n}
                                 for (o, r), n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))],
                  "aligned_sentences": len(c.aligned),
                  "substituted_tokens": round(c.substituted_blocks / max(c.aligned_tokens, 1), 4)})
