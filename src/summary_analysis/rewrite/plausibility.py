"""REW002 without the source: phrases no one writes, and the document-level verdict.

Signals per token, strongest first (cf. the "tortured phrases" of Cabanac et al. 2021); a token
is only considered when it is a content word of 2+ characters, is not a word of the field (absent
from the reference corpus and the domain dictionary) and makes no attested collocation with
either neighbour:

1. a curated *phrase* fingerprint (``德律风``, ``以工钱本``) occurs in the text (score 1.0);
2. *reverse the spin*: a synonym ``s`` of the token, from the curated fingerprints (0.95) or the
   thesaurus (0.8; then ``s`` must be a word of the field), at least as frequent in jieba's
   dictionary, would make an attested collocation with a neighbour: ``政务果然`` is not
   attested, ``政务公开`` is, and ``公开 -> 果然`` is a known spin, so ``果然`` is a likely
   substitution of ``公开``;
Signals 3 and 4 apply to two-character words that are rare in jieba's dictionary (frequency at
most :data:`RARE_FACTOR` = 25 times the median of two-character words, i.e. <= 200) next to a
word of the field: a frequent, well-formed word (督查, 测评) that is merely absent from the small
reference corpus is ordinary usage unless a fingerprint or thesaurus reversal (signal 2) applies
(the determined dictionary frame of signal 3 reaches up to :data:`RARE_FRAME_FACTOR` = 50, i.e.
<= 400, since it also names a clearly better-formed original):

3. *the document's own frame* (0.8): another word fills the same character frame (two characters
   before and after, or two and one) elsewhere in the same document: a spinner replaces only
   some occurrences, so the original survives next to its substitute (``政府讯号公开`` …
   ``政府信息公开``; the surviving word must itself be a word of the field); or a *dictionary
   frame* (0.8): the characters around the token spell a dictionary entry except for the token
   (``政府讯号公开`` reads as ``政府信息公开``); the frame must determine the original (exactly one
   other middle of the same part of speech, so not ``工作`` + 打算/机制/考核…);
4. *out of register* (0.5): none of the above (likely original unknown: null).

A two-character word too frequent even for the frame cap (jieba frequency over 400) is still
flagged by the document's own full 2+2 character frame (*slot*, 0.8) when exactly one other word
fills that frame elsewhere in the document and it is a word of the field of the same length and
coarse word class, at least as frequent in jieba (``官府`` ... ``政府``, ``敞开`` ... ``公开``;
:meth:`PlausibilityModel._frequent_slot`). Words of frequency 200-400 without a dictionary frame
get no signal (measured: extending the slot to them changed nothing at the 30% rate).

A collocation ``(a, b)`` of adjacent tokens is attested when ``a + b`` is a dictionary entry,
the dictionary attests the split (:func:`resources.dictionary_collocations`), or the reference
corpus has the bigram. The document verdict uses the score-weighted density of flagged phrases
per CJK token; a short document (under :data:`SHORT_DOCUMENT` CJK tokens) also needs one phrase
strong enough to be reported on its own. Scores and thresholds were tuned on the benchmark (``benchmarks/rewrite.py``;
its clean documents are held out from the reference corpus; read its default numbers as tuned).
``--generator-seed 777`` draws generated reports the signals were not developed on: the held-out
check of the frequent-word slot (disjoint spinner at 30%: doc recall 0.945, precision 0.995).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from ..document import Document, Span
from ..findings import Finding
from ..normalize import fold
from ..segment import Tokens
from . import resources as res

# Scores of the signals (0..1); a phrase counts from MIN_SCORE up.
SCORE_PHRASE = 1.0
SCORE_FINGERPRINT = 0.95
SCORE_THESAURUS = 0.8
SCORE_THESAURUS_ALONE = 0.7
SCORE_SLOT = 0.8
SCORE_REGISTER = 0.5
MIN_SCORE = 0.5
# Phrases reported one by one (the weaker ones only count towards the document's density).
MIN_REPORT_SCORE = 0.8
# Signals 3 and 4 (no reversed spin) only for words at most RARE_FACTOR times as frequent in
# jieba as the median word of their length (8 for two characters): a frequent, well-formed word
# (督查 284, 测评 283) is ordinary usage unless a fingerprint or thesaurus reversal says otherwise.
# A determined dictionary frame (one same-POS original) is such a reconstruction too, and applies up
# to RARE_FRAME_FACTOR.
RARE_FACTOR = 25
RARE_FRAME_FACTOR = 50
# Document verdict: at least MIN_PHRASES phrases and a score-weighted density of flagged phrases
# per CJK token of at least MIN_DENSITY (set on benchmarks/rewrite.py), or, whatever the density,
# at least MIN_STRONG phrase fingerprints (score SCORE_PHRASE: strings no one writes, 德律风,
# 以工钱本). Word fingerprints (SCORE_FINGERPRINT) do not take this shortcut: their replacements
# are ordinary words (按期, 典范, 大众, 连续) that a genuine report may use three times.
MIN_PHRASES = 4
MIN_DENSITY = 0.014
MIN_STRONG = 3
# A document of fewer CJK tokens than this (a page of plain text has about 700) gets the verdict
# from its density only with at least one phrase reported one by one (MIN_REPORT_SCORE): in a
# 95-word summary, a few rare but genuine words (专网, 路况, 测报) make a density of several per
# cent (found by the session-13 fresh-user test).
SHORT_DOCUMENT = 300
# Parts of speech that never count as a spun content word (names, numerals, times, foreign).
_NAME_TAGS = ("nr", "ns", "nt", "nz", "m", "t", "eng", "x", "q")
_CONTENT_TAGS = ("n", "v", "a", "d", "i", "l", "b", "z")
# Word classes for the frequent-word slot signal (jieba tag -> class): nouns and nominalised
# verbs/adjectives (vn, an) are N; verbs, adjectives and state words are P (jieba tags 公开 ad and
# its substitute 敞开 v, so a/v must not be told apart); adverbs D; idioms/fixed phrases I.
_GROUP = {"n": "N", "v": "P", "a": "P", "d": "D", "b": "B", "z": "P", "i": "I", "l": "I"}


def _group(tag: str) -> str | None:
    """Coarse word class of a jieba tag (:data:`_GROUP`; ``vn``/``an`` count as nouns), None
    for other tags."""
    if tag in ("vn", "an"):
        return "N"
    return _GROUP.get(tag[:1])


@dataclass(frozen=True)
class Phrase:
    """One implausible phrase: ``span`` in characters of Document.text, the suspicious token
    (``word``), ``likely_original`` (None when unknown), ``score`` 0..1 and ``signal``
    (``fingerprint-phrase``, ``fingerprint``, ``thesaurus``, ``slot``, ``dictionary-frame``,
    ``register``)."""

    span: tuple[int, int]
    text: str
    word: str
    likely_original: str | None
    score: float
    signal: str


@dataclass
class Assessment:
    """Reference-free verdict on one document: ``phrases`` (sorted by span), ``density``
    (score-weighted flagged phrases per CJK token, 0..1), ``cjk_tokens``, ``verdict``
    (``machine-rewritten`` or ``plausible``) and ``out_of_register`` (content tokens that are not
    words of the field)."""

    phrases: list[Phrase] = field(default_factory=list)
    density: float = 0.0
    cjk_tokens: int = 0
    verdict: str = "plausible"
    out_of_register: int = 0

    @property
    def reported(self) -> list[Phrase]:
        """The phrases reported one by one: score >= :data:`MIN_REPORT_SCORE`."""
        return [p for p in self.phrases if p.score >= MIN_REPORT_SCORE]

    @property
    def strong(self) -> int:
        """Number of phrase fingerprints found (score :data:`SCORE_PHRASE`)."""
        return sum(p.score >= SCORE_PHRASE for p in self.phrases)


class PlausibilityModel:
    """The lexical resources the check consults; build once, reuse for many documents.

    Parameters
    ----------
    reference : resources.ReferenceStats or None
        Clean-corpus collocations; None uses the shipped ones (:func:`resources.shipped_reference`).
        Pass an empty ``ReferenceStats()`` to evaluate without any reference corpus.
    use_thesaurus, use_fingerprints : bool
        Switch the thesaurus reversal and the curated fingerprints (for ablation benchmarks).
    register_mode : str
        ``slot`` (default: signals 3 and 4), ``register`` (signal 4 only, no frame bonus) or
        ``frame`` (signal 4 only where a word of the field is attested next to a neighbour).
    thesaurus_in_register : bool
        Restore only thesaurus synonyms that are words of the field (default True: the spin is
        reversed towards "a frequent collocation of the field").
    frequent_slot : bool
        Apply the document's-own-frame signal to frequent words too (default True; False gives
        the detector of the previous release, for ablation).

    Notes
    -----
    The model remembers, per word, per ``(previous, word, next)`` token triple and per
    dictionary frame (a word with the runs of up to four ideographs on either side), what :meth:`assess`
    concluded from the resources alone (bounded tables): treat the resources and settings as
    read-only once the model is built.
    """

    def __init__(self, reference: res.ReferenceStats | None = None, *, use_thesaurus: bool = True,
                 use_fingerprints: bool = True, register_mode: str = "slot",
                 thesaurus_in_register: bool = True, frequent_slot: bool = True) -> None:
        self.reference = res.shipped_reference() if reference is None else reference
        # jieba's dictionary, the thesaurus and the dictionary frames, unpacked as they are read
        # (:func:`resources.lexicon`)
        self._lexicon = lexicon = res.lexicon()
        self.words = lexicon.words
        self.domain = res.domain_terms()
        self.thesaurus = lexicon.thesaurus if use_thesaurus else {}
        fps = res.fingerprints() if use_fingerprints else ()
        self.phrase_fps = sorted({f.replacement: f.original for f in fps if f.kind == "phrase"}.items(),
                                 key=lambda kv: (-len(kv[0]), kv[0]))
        self.reverse_fps: dict[str, set[str]] = {}
        for f in fps:
            if f.kind == "word":
                self.reverse_fps.setdefault(f.replacement, set()).add(f.original)
        self.register_mode = register_mode
        self.frequent_slot = frequent_slot
        # Per word, remembered (the same tokens recur in every report): _CODE_* of the word
        # (:meth:`_word_code`), and per (prev, word, next) the decision of :meth:`_decide`. Both
        # depend only on the model's resources, which are read-only after construction.
        self._codes = _CodeTable(self._word_code)
        self._decisions: dict[tuple, tuple | None] = {}
        # Per (word, ideograph run before, run after; :meth:`_remembered_frame`): the frame's answer.
        self._frame_hits: dict[tuple[str, str, str], tuple | None] = {}
        self.thesaurus_in_register = thesaurus_in_register
        self._frames = None
        # Frequency of a typical word of each length (median of jieba's counts): "rare" is at
        # most 50 times that.
        self._median = res.length_medians()
        # Density of documents already assessed (REW001 asks again for both sides of a pair).
        self._densities = _DensityMemo()

    @property
    def dict_pairs(self) -> frozenset[tuple[str, str]]:
        """The dictionary collocations (:func:`resources.dictionary_collocations`), built on
        first use; :meth:`attested` tests membership without building the set."""
        return res.dictionary_collocations()

    def _dict_pair(self, a: str, b: str) -> bool:
        """``(a, b) in self.dict_pairs``, decided from the dictionary directly: ``a + b`` is an
        entry of 3 to 8 characters, both halves are entries and one has 2+ characters."""
        words = self.words
        return (bool(a) and bool(b) and 3 <= len(a) + len(b) <= 8 and (len(a) >= 2 or len(b) >= 2)
                and a + b in words and a in words and b in words)

    # -- collocations -------------------------------------------------------------------
    def attested(self, a: str, b: str) -> int:
        """Strength of the collocation ``a b``: 0 unattested, else >= 1 (reference count + 1
        for a dictionary entry or split)."""
        s = self.reference.bigrams.get((a, b), 0)
        if a + b in self.words or self._dict_pair(a, b):
            s += 1
        return s

    def in_register(self, w: str) -> bool:
        """True when ``w`` occurs in the reference corpus or the domain dictionary."""
        return w in self.domain or self.reference.unigrams.get(w, 0) > 0

    def is_content(self, w: str) -> bool:
        """A CJK content word of 2+ characters (noun, verb, adjective, adverb, idiom) that is
        not a name, numeral or time word: what a spinner substitutes."""
        if len(w) < 2 or not res.is_cjk(w):
            return False
        tag = self.words.get(w, (0, ""))[1]
        return tag.startswith(_CONTENT_TAGS) and not tag.startswith(_NAME_TAGS)

    # -- assessment ---------------------------------------------------------------------
    def _settings(self) -> tuple:
        """What a remembered density depends on besides the document: the model's settings."""
        return (self.register_mode, self.thesaurus_in_register, self.frequent_slot,
                id(self.reference), id(self.thesaurus))

    def density(self, text: str, tokens: Tokens) -> float:
        """``assess(text, tokens).density``, remembered after the first assessment of the same
        text with the same tokens in this process (:class:`_DensityMemo`)."""
        d = self._densities.get(text, tokens, self._settings())
        return self.assess(text, tokens).density if d is None else d

    def assess(self, text: str, tokens: Tokens, *, folded: str | None = None) -> Assessment:
        """Flag implausible phrases of one text and give the document verdict.

        Parameters
        ----------
        text : str
            ``Document.text``.
        tokens : Tokens
            Its segmentation (:func:`summary_analysis.segment.segment`).
        folded : str, optional
            ``fold(text)`` when the caller has it (``Document.folded``); computed otherwise.

        Returns
        -------
        Assessment
        """
        words = tokens.words
        # token i spans [end(i - 1) (0 for the first), end(i)): offsets read as Python ints one
        # at a time, around candidates only (not a list of all ~1,000)
        end_of = tokens.ends.item
        if folded is None:
            folded = fold(text)
        phrases: dict[tuple[int, int], Phrase] = {}
        covered = None  # per token: inside a fingerprint phrase (only when there is one)

        # 1. phrase fingerprints (string search: the spinner's output may cross token bounds).
        # The phrases taken do not overlap: kept sorted by start (their ends then are sorted
        # too), a new one overlaps one of them only if it overlaps the last that starts before
        # its end (a bisection, not a test against each: 50,000 occurrences took minutes)
        taken_starts: list[int] = []
        taken_ends: list[int] = []
        for rep, orig in self.phrase_fps:
            start = folded.find(rep)
            while start != -1:
                end = start + len(rep)
                j = bisect_left(taken_starts, end)
                if not (j and taken_ends[j - 1] > start):
                    taken_starts.insert(j, start)
                    taken_ends.insert(j, end)
                    phrases[(start, end)] = Phrase((start, end), text[start:end], rep, orig,
                                                   SCORE_PHRASE, "fingerprint-phrase")
                start = folded.find(rep, end)
        if phrases:
            # the tokens overlapping a phrase: from the first that ends after its start, while
            # they start before its end (ends increase)
            ends = tokens.ends.tolist()
            covered = bytearray(len(ends))
            for ps, pe in phrases:
                i = bisect_right(ends, ps)
                while i < len(ends) and (ends[i - 1] if i else 0) < pe:
                    covered[i] = 1
                    i += 1

        slots = _CharSlots(folded)
        # One code per token (:meth:`_word_code`): only candidates (a CJK content word that is
        # not a word of the field) go through the loop below.
        flags = self._flags(words)
        n = len(flags)
        cjk = n - flags.count(_CODE_OTHER)
        oor = 0
        decisions = self._decisions
        vocabulary = None
        frequent_slot = self.frequent_slot
        # the spans of the phrases (a phrase is added only when it overlaps none)
        taken = _DisjointSpans(phrases)
        slot_memo: dict[tuple[str, str, str], str | None] = {}
        find_candidate = flags.find  # (the candidates' indices, increasing: the scan runs in C)
        i = -1
        while (i := find_candidate(_CODE_CANDIDATE, i + 1)) != -1:
            if covered is not None and covered[i]:
                continue
            w = words[i]
            prev = words[i - 1] if i > 0 and flags[i - 1] else None
            nxt = words[i + 1] if i + 1 < n and flags[i + 1] else None
            if prev is None and nxt is None:
                continue
            oor += 1
            key = (prev, w, nxt)
            decision = decisions.get(key, _MISSING)
            if decision is _MISSING:
                if len(decisions) >= _MAX_DECISIONS:
                    decisions.clear()
                decision = decisions[key] = self._decide(w, prev, nxt)
            if decision is None:
                continue
            kind = decision[0]
            if kind == "slot":
                # (the word-only conditions of :meth:`_frequent_slot` hold)
                if not frequent_slot:
                    continue
                s0 = end_of(i - 1) if i else 0
                e0 = end_of(i)
                orig = self._slot_original(w, folded, s0, e0, slots, slot_memo)
                if orig is None:
                    continue
                span, score, signal = (s0, e0), SCORE_SLOT, "slot"
            elif kind == "reverse":
                orig, side, score, signal = decision[1]
                if signal == "thesaurus":
                    if vocabulary is None:
                        vocabulary = set(words)
                    if orig not in vocabulary:
                        # uncorroborated: the restored word occurs nowhere else in the document
                        score = SCORE_THESAURUS_ALONE
                if side == "prev":
                    span = (end_of(i - 2) if i > 1 else 0, end_of(i))
                else:
                    span = (end_of(i - 1) if i else 0, end_of(i + 1))
            else:  # "register" (decision[1]: the word is rare, :meth:`_rare` with RARE_FACTOR)
                s0, e0 = end_of(i - 1) if i else 0, end_of(i)
                hit = self._register_phrase(w, prev, nxt, decision[1], folded, s0, e0, slots)
                if hit is None:
                    continue
                orig, span, score, signal = hit
                if orig is not None and len(orig) != len(w):
                    # a frame filled elsewhere by a word of another length (讯号 … 已, 门户网站)
                    # is a coincidence of the frame, not the word a spinner swapped (it swaps a
                    # word for one of its length; fingerprints such as 德律风 are signal 1): the
                    # phrase keeps its score, the guess is not shown
                    orig = None
            if taken.overlaps(*span):
                span = (end_of(i - 1) if i else 0, end_of(i))
                if taken.overlaps(*span):
                    continue
            phrases[span] = Phrase(span, text[span[0]:span[1]], w, orig, score, signal)
            taken.add(*span)

        found = sorted((p for p in phrases.values() if p.score >= MIN_SCORE), key=lambda p: p.span)
        # weighted density: each phrase counts its score (a register-only phrase counts half)
        density = sum(p.score for p in found) / cjk if cjk else 0.0
        out = Assessment(found, density, cjk)
        out.out_of_register = oor
        if ((len(found) >= MIN_PHRASES and density >= MIN_DENSITY
             and (cjk >= SHORT_DOCUMENT or any(p.score >= MIN_REPORT_SCORE for p in found)))
                or out.strong >= MIN_STRONG):
            out.verdict = "machine-rewritten"
        self._densities.put(text, tokens, self._settings(), density)
        return out

    def _register_phrase(self, w: str, prev: str | None, nxt: str | None, rare: bool, folded: str,
                         s0: int, e0: int, slots: "_CharSlots"):
        """Signals 3 and 4 for candidate ``w`` at ``[s0, e0)`` of ``folded`` once
        :meth:`_out_of_register` holds (``rare``: :meth:`_rare` with :data:`RARE_FACTOR`):
        ``(original or None, span, score, signal)``, or None for no phrase.

        The likely original is what fills the same frame elsewhere in the document
        (:meth:`_document_filler`; in ``slot`` mode it makes a ``slot`` phrase), else in ``slot``
        mode a dictionary frame (:meth:`_remembered_frame`, ``dictionary-frame``), else unknown
        (``register``). A word that is not ``rare`` keeps only a ``dictionary-frame`` phrase, so
        its (remembered) dictionary frame is looked up first and the document is searched only
        when there is one; in the other modes it keeps nothing."""
        span = (s0, e0)
        slot_mode = self.register_mode == "slot"
        hit = None
        if not rare:
            if not slot_mode:
                return None
            hit = self._remembered_frame(w, folded, s0, e0)
            if hit is None:
                return None
        if self.register_mode == "frame" and self._frame_filler(w, prev, nxt) is None:
            return None
        orig = self._document_filler(w, folded, s0, e0, slots)
        if not slot_mode:
            return orig, span, SCORE_REGISTER, "register"
        if orig:
            return (orig, span, SCORE_SLOT, "slot") if rare else None
        if rare:
            hit = self._remembered_frame(w, folded, s0, e0)
        if hit is not None:
            return hit[0], (s0 - hit[1], e0 + hit[2]), SCORE_SLOT, "dictionary-frame"
        return None, span, SCORE_REGISTER, "register"

    def _document_filler(self, w: str, folded: str, s0: int, e0: int,
                         slots: "_CharSlots") -> str | None:
        """What fills the frames around ``w`` at ``[s0, e0)`` elsewhere in the document
        (:func:`slot_keys` in order, :meth:`_slot_filler`), or None."""
        if _other_middle(folded, w, s0, e0):
            for key in slot_keys(folded, s0, e0):
                orig = self._slot_filler(w, slots.get(key))
                if orig:
                    return orig
        return None

    def _flags(self, words: tuple[str, ...]) -> bytes:
        """The code (:meth:`_word_code`) of each token, one byte each, from the per-word table
        (:class:`_CodeTable`: a word not in it yet is added)."""
        if len(words) > 1:
            # itemgetter looks the ~1,000 tokens up in one call, in C (with one token it returns
            # a bare value, not a tuple); a new word costs one call of the table's __missing__
            return bytes(itemgetter(*words)(self._codes))
        return bytes(map(self._codes.__getitem__, words))

    def _word_code(self, w: str) -> int:
        """:data:`_CODE_OTHER` for a token that is not CJK, :data:`_CODE_CANDIDATE` for a
        content word (:meth:`is_content`) that is not a word of the field (:meth:`in_register`),
        :data:`_CODE_SKIP` for any other CJK token."""
        if not res.is_cjk(w):
            return _CODE_OTHER
        if not self.is_content(w) or self.in_register(w):
            return _CODE_SKIP
        return _CODE_CANDIDATE

    def _decide(self, w: str, prev: str | None, nxt: str | None) -> tuple | None:
        """What :meth:`assess` does with candidate ``w`` between ``prev`` and ``next`` (CJK
        neighbours or None), as far as it depends on these three words alone: None (a
        collocation with a neighbour is attested, or no signal can apply), ``("reverse", hit)``
        (:meth:`_reverse`), ``("register", rare)`` (:meth:`_out_of_register`; ``rare``:
        :meth:`_rare` with :data:`RARE_FACTOR`) or ``("slot",)`` (the
        word-only conditions of :meth:`_frequent_slot` hold)."""
        if (prev and self.attested(prev, w)) or (nxt and self.attested(w, nxt)):
            return None
        hit = self._reverse(w, prev, nxt)
        if hit is not None:
            return ("reverse", hit)
        if self._out_of_register(w, prev, nxt):
            return ("register", self._rare(w, RARE_FACTOR))
        if (len(w) == 2 and w in self.words and prev is not None and nxt is not None
                and (self.in_register(prev) or self.in_register(nxt))):
            return _SLOT
        return None

    def _reverse(self, w: str, prev: str | None, nxt: str | None):
        """Reverse the spin: a synonym of ``w`` that restores an attested collocation.

        Returns ``(original, side, score, signal)`` or None; ``side`` is the neighbour that
        the restored collocation uses (``prev`` or ``next``).
        """
        best = None
        for source, cands, score in (("fingerprint", self.reverse_fps.get(w, ()), SCORE_FINGERPRINT),
                                     ("thesaurus", self.thesaurus.get(w, ()), SCORE_THESAURUS)):
            fw = self.words.get(w, (0, ""))[0]
            for s in sorted(cands):
                # people write the common word: the original is at least as frequent
                if s == w or len(s) < 2 or self.words.get(s, (0, ""))[0] < fw:
                    continue
                if self.thesaurus_in_register and source == "thesaurus" and not self.in_register(s):
                    continue
                for side, strength in (("prev", self.attested(prev, s) if prev else 0),
                                       ("next", self.attested(s, nxt) if nxt else 0)):
                    if strength and (best is None or (score, strength) > (best[2], best[4])):
                        best = (s, side, score, source, strength)
            if best is not None:
                break
        return None if best is None else best[:4]

    def _frame_index(self):
        if self._frames is None:
            left: dict[str, set[str]] = {}
            right: dict[str, set[str]] = {}
            for a, b in list(self.dict_pairs) + list(self.reference.bigrams):
                left.setdefault(a, set()).add(b)
                right.setdefault(b, set()).add(a)
            self._frames = (left, right)
        return self._frames

    def _frame_filler(self, w: str, prev: str | None, nxt: str | None):
        """A word of the field (reference corpus or domain dictionary) of the same length as
        ``w`` that makes an attested collocation with a neighbour: ``(word, side)`` or None.
        Preference: attested on both sides, then the reference count, then jieba frequency."""
        left, right = self._frame_index()
        lset = left.get(prev, set()) if prev else set()
        rset = right.get(nxt, set()) if nxt else set()
        best = None
        for x in sorted(lset | rset):
            if x == w or len(x) != len(w) or not self.in_register(x):
                continue
            both = x in lset and x in rset
            key = (both, self.reference.unigrams.get(x, 0), self.words.get(x, (0, ""))[0])
            if best is None or key > best[0]:
                best = (key, x, "prev" if x in lset else "next")
        return None if best is None else best[1:]

    def _dictionary_frame(self, w: str, text: str, start: int, end: int):
        """A dictionary entry that the text around ``w`` spells except for ``w`` itself:
        ``政府讯号公开`` reads as ``政府信息公开`` with ``讯号`` in place of ``信息``. Returns
        ``(original, left_chars, right_chars)`` or None. A frame needs three characters around
        the middle (one of its sides two or more), or two on the left for a domain term
        (``政务敞开`` -> ``政务公开``)."""
        if len(w) != 2:  # the frames hold two-character middles only
            return None
        frames = self._lexicon.frames
        domain_frames = self._lexicon.domain_frames
        # the frames whose left side starts with a given character, as a plain dict (one
        # bucket of a BucketedTable; a plain dict is its own bucket): one C-level get per frame
        bucket = getattr(frames, "bucket", lambda _first: frames)
        best = None
        # res.is_cjk of the growing sides, one character at a time: the left side ends at the
        # same character for every length (a "\n" there fails at once); the right side may end
        # in one "\n" after 1+ ideographs (is_cjk's final line break)
        n = len(text)
        rmax = 0
        while rmax < 4 and end + rmax < n and "\u4e00" <= text[end + rmax] <= "\u9fff":
            rmax += 1
        if rmax and rmax < 4 and end + rmax < n and text[end + rmax] == "\n":
            rmax += 1
        # no frame of the indexes has more than `reach` characters around its middle (4: entries
        # have at most 6 characters), so longer sides are not looked up
        reach = self._lexicon.frame_reach
        for ll in range(1, min(4, reach) + 1):
            if start - ll < 0 or not "\u4e00" <= text[start - ll] <= "\u9fff":
                break
            left = text[start - ll:start]
            frames_here = bucket(left[:1])
            for rl in range(0, min(rmax, reach - ll) + 1):
                right = text[end:end + rl]
                if ll + rl >= 3 and max(ll, rl) >= 2:
                    found = frames_here.get(f"{left}\0{right}", "")
                elif rl == 0 and ll >= 2:
                    found = domain_frames.get(f"{left}\0{right}", "")
                else:
                    continue
                if not found:  # no entry spells this frame (most frames): no filler
                    continue
                fillers = {x for x in (found[k:k + 2] for k in range(0, len(found), 2))
                           if x != w and self._same_class(w, x)}
                # the frame must determine the original: an open frame (工作 + 打算/机制/考核...)
                # says nothing about which word was replaced
                if len(fillers) != 1:
                    continue
                for x in fillers:
                    key = (ll + rl, self.words.get(x, (0, ""))[0], x)
                    if best is None or key > best[0]:
                        best = (key, x, ll, rl)
        return None if best is None else best[1:]

    def _remembered_frame(self, w: str, text: str, start: int, end: int):
        """:meth:`_dictionary_frame`, remembered per ``(w, ideographs before, ideographs
        after)``: all that it reads of ``text`` (bounded table, cleared when full). Before:
        the run of up to four ideographs that ends at ``start``; after: the run of up to four
        that starts at ``end``, with the line break that may follow a shorter run."""
        left = _LEFT_RUN.search(text, max(0, start - 4), start)
        right = _RIGHT_RUN.match(text, end)
        key = (w, left[0] if left else "", right[0] if right else "")
        table = self._frame_hits
        hit = table.get(key, _MISSING)
        if hit is _MISSING:
            if len(table) >= _MAX_FRAMES:
                table.clear()
            hit = table[key] = self._dictionary_frame(w, text, start, end)
        return hit

    def _same_class(self, w: str, x: str) -> bool:
        """True when jieba tags ``w`` and ``x`` with the same coarse part of speech (first
        letter of the tag: ``n``, ``v``, ``a``, ``d``...). A synonym substitution keeps the part
        of speech (``讯号``/``信息`` n/n), so a frame filler of another class (``按期`` d vs
        ``建议`` n in ``人大代表按期``) is ordinary wording, not a reversed spin."""
        tw = self.words.get(w, (0, ""))[1][:1]
        tx = self.words.get(x, (0, ""))[1][:1]
        return bool(tw) and tw == tx

    def _same_group(self, w: str, x: str) -> bool:
        """True when ``w`` and ``x`` have the same coarse word class (:func:`_group`)."""
        tw = _group(self.words.get(w, (0, ""))[1])
        return tw is not None and tw == _group(self.words.get(x, (0, ""))[1])

    def _slot_filler(self, w: str, fillers, same_class: bool = False) -> str | None:
        """Another dictionary word that fills the same slot (same two characters before and
        after) elsewhere in the document: a spinner replaces only some occurrences, so the
        original usually survives in the same frame (政府讯号公开 ... 政府信息公开). The most
        frequent filler wins (ties: jieba frequency, then code point order); None if none.
        With ``same_class`` the filler must also have ``w``'s length and coarse word class
        (:func:`_group`) and be at least as frequent in jieba (a spinner replaces a common word),
        and it must be the only such filler (an open frame names no original)."""
        if not fillers:
            return None
        best = None
        qualified = 0
        for x, n in sorted(fillers.items()):
            # the original that survives elsewhere is a word of the field (not another
            # substitute: 督查 ... 带领 where 带领 is itself spun from 领导)
            if x == w or x not in self.words or not self.in_register(x):
                continue
            if same_class and (len(x) != len(w) or not self._same_group(w, x)
                               or self.words[x][0] < self.words.get(w, (0, ""))[0]):
                continue
            qualified += 1
            key = (n, self.words[x][0])
            if best is None or key > best[0]:
                best = (key, x)
        if same_class and qualified != 1:
            # an open frame (进一步 + 加强/提升/完善...) does not name the replaced word
            return None
        return None if best is None else best[1]

    def _out_of_register(self, w: str, prev: str | None, nxt: str | None) -> bool:
        """A content word of 2+ characters no reference knows, between in-register words."""
        if len(w) != 2 or self.in_register(w) or w not in self.words:
            return False
        if prev is None or nxt is None:
            return False
        if not (self.in_register(prev) or self.in_register(nxt)):
            return False
        return self._rare(w, RARE_FRAME_FACTOR)

    def _frequent_slot(self, w: str, prev: str | None, nxt: str | None, folded: str,
                       slots: "_CharSlots", span: tuple[int, int]):
        """Slot signal for a two-character word too frequent for signals 3 and 4 (``官府``,
        ``敞开``, ``方略``): another word of the field, of the same length and word class and at
        least as frequent in jieba, fills the same character frame elsewhere in the document
        (``市官府网站`` ... ``市政府网站``). A spinner leaves most occurrences of a word alone, so
        the original survives next to its substitute; a clean text rarely has two different
        same-class words of this kind in one 2+2 character frame. Returns ``(original, span,
        score, signal)`` or None."""
        if len(w) != 2 or w not in self.words or prev is None or nxt is None:
            return None
        if not (self.in_register(prev) or self.in_register(nxt)):
            return None
        s0, e0 = span
        # the full 2+2 character frame only: the shorter ones are open for common words
        orig = self._slot_filler(w, slots.two((folded[max(0, s0 - 2):s0], folded[e0:e0 + 2])),
                                 same_class=True)
        return (orig, span, SCORE_SLOT, "slot") if orig else None

    def _slot_original(self, w: str, folded: str, s0: int, e0: int, slots: "_CharSlots",
                       memo: dict) -> str | None:
        """The original that :meth:`_frequent_slot` names for candidate ``w`` at ``[s0, e0)``
        of ``folded`` once its word-only conditions hold (``_decide`` gave ``("slot",)``), or
        None; ``memo`` (one dict per document) remembers it per ``(left, w, right)`` frame.

        Shortcut: one ``str.find`` pass over the occurrences of the frame's two left
        characters looks for one followed by two characters other than ``w`` and then the two
        right characters; without one, no other word fills the frame and there is no original
        (measured on generated reports: 97% of these frames hold ``w`` alone). Otherwise the
        full frame table and :meth:`_slot_filler` decide, as in :meth:`_frequent_slot`."""
        left = folded[s0 - 2:s0] if s0 >= 2 else folded[:s0]
        right = folded[e0:e0 + 2]
        key = (left, w, right)
        orig = memo.get(key, _MISSING)
        if orig is not _MISSING:
            return orig
        orig = None
        other = len(left) != 2 or len(right) != 2  # (short frames: the plain path)
        if not other:
            find, startswith = folded.find, folded.startswith
            p = find(left)
            while p != -1:
                if startswith(right, p + 4) and not startswith(w, p + 2):
                    other = True
                    break
                p = find(left, p + 1)
        if other:
            orig = self._slot_filler(w, slots.two((left, right)), same_class=True)
        memo[key] = orig
        return orig

    def _rare(self, w: str, factor: float) -> bool:
        """``w``'s jieba frequency is at most ``factor`` times the median of its length."""
        return self.words.get(w, (0, ""))[0] <= self._median.get(len(w), 0) * factor


# Documents whose density a model remembers (oldest forgotten first); also the bound of the
# per-word table of token codes (cleared when full).
_MAX_REMEMBERED = 200_000
# Bound of the per-(prev, word, next) table of decisions (cleared when full; about 20 MB).
_MAX_DECISIONS = 100_000
# Bound of the per-(word, characters around it) table of dictionary frames (cleared when full;
# about 10 MB).
_MAX_FRAMES = 50_000
_SLOT = ("slot",)
# What :meth:`PlausibilityModel._dictionary_frame` reads around its word: up to four ideographs
# before it (searched in the four characters before), up to four after it, or fewer and a line
# break.
_LEFT_RUN = re.compile(r"[\u4e00-\u9fff]{1,4}\Z")
_RIGHT_RUN = re.compile(r"[\u4e00-\u9fff]{4}|[\u4e00-\u9fff]{1,3}\n?")
# Token codes of :meth:`PlausibilityModel._word_code`.
_CODE_OTHER, _CODE_SKIP, _CODE_CANDIDATE = 0, 1, 2
_MISSING = object()


class _Forget:
    """Weak reference callback of :class:`_DensityMemo`: the array of entry ``key`` is freed.

    A class rather than a ``functools.partial``: Python names the callback when an exception
    (a Ctrl-C while the interpreter shuts down) escapes it, and a partial's name is the repr of
    its arguments, here the memo with the texts of the batch's documents.
    """

    __slots__ = ("entries", "key")

    def __init__(self, entries: dict, key: int) -> None:
        self.entries = entries
        self.key = key

    def __call__(self, ref: weakref.ref) -> None:
        entry = self.entries.get(self.key)
        if entry is not None and entry[0] is ref:
            del self.entries[self.key]

    def __repr__(self) -> str:
        return f"<density memo entry {self.key}>"


class _DensityMemo:
    """The densities a model has found, for REW001 (which asks again for both documents of a
    pair): looked up by the identity of the tokens' ``ends`` array, so nothing is hashed per
    document.

    An entry lives as long as that array: a weak reference to it drops the entry when the
    array is freed, so its ``id`` never stands for another array. It answers only for the same
    text and the same tokens' text (equal strings; in the pipeline the very same objects) and
    the same model settings: the token strings are the slices of the folded tokens' text at
    ``ends``, so the assessment would be the same. At most :data:`_MAX_REMEMBERED` entries
    (oldest dropped first); an ``ends`` that takes no weak reference is not remembered. The
    arrays are not expected to change in place (``Tokens`` never does).
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        # id(ends) -> (weak reference to ends, text, tokens' text, settings, density)
        self._entries: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, text: str, tokens: Tokens, settings: tuple) -> float | None:
        """The density remembered for ``text`` and ``tokens`` under ``settings``, or None."""
        ends = tokens.ends
        entry = self._entries.get(id(ends))
        if entry is None:
            return None
        ref, known_text, known_tokens_text, known_settings, density = entry
        if (ref() is not ends or known_settings != settings or known_text != text
                or known_tokens_text != tokens.text):
            return None
        return density

    def put(self, text: str, tokens: Tokens, settings: tuple, density: float) -> None:
        """Remember ``density`` for ``text`` and ``tokens`` under ``settings``."""
        ends = tokens.ends
        key = id(ends)
        entries = self._entries
        try:
            ref = weakref.ref(ends, _Forget(entries, key))
        except TypeError:
            return
        if key not in entries and len(entries) >= _MAX_REMEMBERED:
            del entries[next(iter(entries))]
        entries[key] = (ref, text, tokens.text, settings, density)


class _CodeTable(dict):
    """``word -> code`` (:meth:`PlausibilityModel._word_code`), filled on first lookup: a missing
    word's code is computed and remembered by :meth:`__missing__` (so a lookup of all tokens,
    most of them known, stays one pass in C even when a few are new). Cleared when it holds
    :data:`_MAX_REMEMBERED` words.

    Parameters
    ----------
    code : callable
        ``str -> int``, the code of a word.
    """

    __slots__ = ("_code",)

    def __init__(self, code) -> None:
        super().__init__()
        self._code = code

    def __missing__(self, word: str) -> int:
        if len(self) >= _MAX_REMEMBERED:
            self.clear()
        code = self[word] = self._code(word)
        return code


def slot_keys(text: str, start: int, end: int) -> tuple:
    """The frames around ``text[start:end]`` under which a slot-filler table is looked up, in
    the order tried: (two characters before, two after), (two before, one after), (one before,
    two after); character offsets, clipped at the text start.

    Returns
    -------
    tuple of (str, str)
    """
    two_before, one_before = text[max(0, start - 2):start], text[max(0, start - 1):start]
    return ((two_before, text[end:end + 2]), (two_before, text[end:end + 1]),
            (one_before, text[end:end + 2]))


def _other_middle(text: str, w: str, start: int, end: int) -> bool:
    """False when no character frame around ``text[start:end]`` can hold a middle other than
    ``w`` anywhere in ``text``, so :meth:`PlausibilityModel._slot_filler` finds no original in
    any of the frames (2+2, 2+1, 1+2 characters) that ``assess`` asks :class:`_CharSlots` for.

    Every such frame's left side ends with ``c = text[start - 1]`` and its right side starts
    with ``r = text[end]``, and its middles have 1-4 characters: a middle of length ``m``
    after an occurrence of ``c`` at ``q`` needs ``text[q + 1 + m] == r``. One ``str.find``
    pass over the occurrences of ``c`` looks for one with ``r`` at such an offset where the
    middle is not ``w``. True (look at the frames) when there is one, and at the ends of the
    text (no ``c`` or no ``r``)."""
    if start < 1 or end >= len(text):
        return True
    c, r, m = text[start - 1], text[end], len(w)
    find, startswith = text.find, text.startswith
    q = find(c)
    while q != -1:
        i = q + 1
        j = find(r, i + 1, i + 5)
        while j != -1:
            if j - i != m or not startswith(w, i):
                return True
            j = find(r, j + 1, i + 5)
        q = find(c, q + 1)
    return False


class _DisjointSpans:
    """Pairwise disjoint non-empty ``[start, end)`` spans, sorted by start (so their ends
    increase too): :meth:`overlaps` looks at one span, found by bisection, instead of all.

    Parameters
    ----------
    spans : iterable of (int, int)
        The initial spans (pairwise disjoint, non-empty).
    """

    __slots__ = ("starts", "ends")

    def __init__(self, spans=()) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a span (``any(s < end and start < e)``): only the
        last span starting before ``end`` can, since the earlier ones end before it starts."""
        k = bisect_left(self.starts, end) - 1
        return k >= 0 and self.ends[k] > start

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, non-empty and overlapping no span (not checked)."""
        k = bisect_left(self.starts, start)
        self.starts.insert(k, start)
        self.ends.insert(k, end)


# (characters before, characters after) of the frames :class:`_CharSlots` knows.
_FRAME_SHAPES = frozenset({(2, 2), (2, 1), (1, 2)})


class _CharSlots:
    """The character-frame table of one text, computed one frame at a time, on demand.

    ``get((left, right))`` equals the full table's entry (the reference implementation in
    ``tests/test_rewrite_speed.py``): the middles of 1-4
    CJK characters found between ``left`` and ``right`` in ``text`` with their counts, or None.
    Only a few frames are ever asked for, so each is found with ``str.find`` instead of
    building the whole table (thousands of frames per report).
    """

    __slots__ = ("text", "_cache", "_two")

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[str, str], dict[str, int] | None] = {}
        self._two: dict[tuple[str, str], dict[str, int] | None] = {}

    def two(self, key: tuple[str, str]) -> dict[str, int] | None:
        """The two-character middles of ``get(key)`` (same counts), for a 2+2 frame; found
        with a lighter scan when the full entry is not cached yet."""
        if key in self._cache:
            full = self._cache[key]
            return {m: c for m, c in full.items() if len(m) == 2} or None if full else None
        if key in self._two:
            return self._two[key]
        left, right = key
        out: dict[str, int] = {}
        if len(left) == 2 and len(right) == 2 and res.is_cjk(left) and res.is_cjk(right):
            text = self.text
            p = text.find(left)
            while p != -1:
                i = p + 2
                if text[i + 2:i + 4] == right:
                    mid = text[i:i + 2]
                    if res.is_cjk(mid):
                        out[mid] = out.get(mid, 0) + 1
                p = text.find(left, p + 1)
        self._two[key] = out or None
        return self._two[key]

    def get(self, key: tuple[str, str]) -> dict[str, int] | None:
        if key in self._cache:
            return self._cache[key]
        left, right = key
        lw, rw = len(left), len(right)
        out: dict[str, int] = {}
        if (lw, rw) in _FRAME_SHAPES and res.is_cjk(left) and res.is_cjk(right):
            text, n = self.text, len(self.text)
            p = text.find(left)
            while p != -1:
                i = p + lw
                for m in (1, 2, 3, 4):
                    if i + m + rw > n:
                        break
                    # res.is_cjk(text[i:i + m]), one new character at a time: the characters
                    # before it passed; a final "\n" after 1+ of them passes too (then stop)
                    c = text[i + m - 1]
                    if not "\u4e00" <= c <= "\u9fff":
                        if c == "\n" and m > 1 and text[i + m:i + m + rw] == right:
                            mid = text[i:i + m]
                            out[mid] = out.get(mid, 0) + 1
                        break
                    if text[i + m:i + m + rw] == right:
                        mid = text[i:i + m]
                        out[mid] = out.get(mid, 0) + 1
                p = text.find(left, p + 1)
        self._cache[key] = out or None
        return self._cache[key]


@lru_cache(maxsize=1)
def default_model() -> PlausibilityModel:
    """The model with every shipped resource (built once per process)."""
    return PlausibilityModel()


def likely_phrase(text: str, word: str | None, original: str) -> str:
    """The implausible phrase ``text`` with its spun ``word`` put back to ``original`` (政务果然,
    果然 → 公开: 政务公开), so the suggestion reads as the phrase it replaces; ``original`` alone
    when the word is not in the phrase once."""
    if word and text.count(word) == 1:
        return text.replace(word, original)
    return original


def word_span(text: str, span: tuple[int, int], word: str | None) -> tuple[int, int]:
    """The span of ``word`` inside the phrase ``text[span[0]:span[1]]`` (its first occurrence
    there): ``的效用`` at (1136, 1139) with the word ``效用`` gives (1137, 1139); the phrase's own
    span when the word is not in it. Offsets in characters into ``text``."""
    at = text.find(word, span[0], span[1]) if word else -1
    return (at, at + len(word)) if at >= 0 else tuple(span)


def implausible_wording(document: Document, tokens: Tokens, *, model: PlausibilityModel | None = None
                        ) -> list[Finding]:
    """REW002 findings for one document: one per implausible phrase plus one document-level
    finding, only when the document verdict is ``machine-rewritten`` (nothing otherwise).

    Parameters
    ----------
    document : Document
    tokens : Tokens
        ``segment(document.text)``.
    model : PlausibilityModel, optional
        Resources to use; the shipped ones by default.

    Returns
    -------
    list of Finding
        Phrase findings (score >= :data:`MIN_REPORT_SCORE`): ``span`` on the phrase,
        ``evidence`` ``{"likely_original", "score", "signal", "word"}``; document finding:
        ``span`` None, ``evidence`` ``{"density", "verdict", "phrases", "reported_phrases",
        "weak_phrases", "weak_words", "cjk_tokens"}`` (``density``: score-weighted phrases per
        CJK token, 0..1; ``weak_words``: the words counted in the density but not listed one by
        one, ``{"word", "count", "spans"}``, most frequent first, also named in the message;
        ``spans`` on the word itself, inside its phrase: :func:`word_span`).
    """
    model = model or default_model()
    a = model.assess(document.text, tokens, folded=document.folded)
    if a.verdict != "machine-rewritten":
        return []
    out = [Finding("REW002", document.doc_id,
                   f"implausible wording {p.text!r}"
                   + (f" (likely {likely_phrase(p.text, p.word, p.likely_original)!r})" if p.likely_original else ""),
                   span=Span(*p.span),
                   evidence={"likely_original": p.likely_original, "score": round(p.score, 3),
                             "signal": p.signal, "word": p.word})
           for p in a.reported]
    weak = [p for p in a.phrases if p.score < MIN_REPORT_SCORE]
    spans: dict[str, list] = {}
    for p in weak:
        spans.setdefault(p.word, []).append(list(word_span(document.text, p.span, p.word)))
    weak_words = [{"word": w, "count": len(s), "spans": s}
                  for w, s in sorted(spans.items(), key=lambda x: (-len(x[1]), x[0]))]
    out.append(Finding("REW002", document.doc_id,
                       f"machine-rewritten wording: {len(a.reported)} implausible phrases listed"
                       + (f", plus {len(weak)} weaker out-of-register words counted in the density"
                          f" ({listed_words(weak_words)})" if weak else "")
                       + f" (weighted density {density_percent(round(a.density, 4))} of {a.cjk_tokens} words)",
                       evidence={"density": round(a.density, 4), "verdict": a.verdict,
                                 "phrases": len(a.reported), "reported_phrases": len(a.reported),
                                 "weak_phrases": len(weak), "cjk_tokens": a.cjk_tokens,
                                 "weak_words": weak_words}))
    return out


def density_percent(density: float) -> str:
    """A REW002 density (0..1, as stored in ``evidence.density``: four decimals) as a percentage
    with one decimal, half rounded up (0.0705 → ``7.1%``; ``f"{0.0705:.1%}"`` gives 7.0%, as the
    binary float is just below), for the English and the Chinese message alike."""
    from decimal import ROUND_HALF_UP, Decimal

    return f"{Decimal(repr(float(density))).scaleb(2).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def listed_words(weak_words: list[dict], sep: str = ", ", more: str = ", …", most: int = 8) -> str:
    """``晋升 ×3, 切确, …``: the first ``most`` entries of a REW002 ``evidence.weak_words`` list
    (``{"word", "count"}`` dicts, most frequent first), a count shown when above 1, joined by
    ``sep``, with ``more`` appended when entries were left out. Entries without a word are
    skipped; raises nothing. The Chinese message uses it with ``、`` and ``等``."""
    words = [w for w in weak_words if isinstance(w, dict) and w.get("word")]
    parts = [w["word"] if w.get("count", 1) == 1 else f"{w['word']} ×{w['count']}" for w in words[:most]]
    return sep.join(parts) + (more if len(words) > most else "")
