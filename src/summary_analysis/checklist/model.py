"""Checklist files: the :class:`Checklist` and :class:`Item` value objects and :func:`load_checklist`.

A checklist is data, not code: a TOML file (shipped ones live in ``summary_analysis/data/checklists``;
users pass their own path). Top-level keys::

    name = "gov-info-annual-2021"      # required; shown in every output row
    title = "…"                         # human title
    citation = "…"                      # the statute or notice the whole list comes from
    verified = true                     # false when the facts were recalled, not read in a source
    applies_to = ["annual-report-2021"] # document kinds (sections.KINDS) it is meant for
    not_headings = ["本年新收", …]      # patterns of numbered lines that are table rows, not headings

and one ``[[items]]`` table per required part::

    id = "problems"          # required, unique; the ``item`` column of the output
    number = "五"            # the part's number in the format (display only)
    title = "…"              # required
    citation = "…"           # article / notice clause
    required = true          # false: reported, never SEC001, not scored
    verified = true
    weight = 1.0             # share of the completeness score (> 0)
    order = 5                # required order (equal ranks: either order is fine)
    headings = ["…"]         # heading synonyms and variants (regular expressions)
    evidence = ["…"]         # content evidence terms (regular expressions)
    evidence_min = 2         # distinct evidence terms one line must hold to count as content
    table_rows = ["…"]       # labels of the expected table rows / columns
    table_min = 5            # distinct labels that make a headingless table count
    figures = false          # true: the part is a statistics table, present only with figures
    min_chars = 8            # fewer characters of own text than this: the part is empty
    within = "overview"      # searched inside another item's part (a sub-requirement)
    when = "government"      # applies only to reports of 各级人民政府
    note = "…"

Every pattern is a Python regular expression matched against text folded to half width
(:func:`summary_analysis.normalize.fold`) with all whitespace removed.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..normalize import fold

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

#: Conditions an item's ``when`` key may name.
CONDITIONS = ("government",)

_ITEM_KEYS = {"id", "number", "title", "citation", "required", "verified", "weight", "order",
              "headings", "evidence", "evidence_min", "table_rows", "table_min", "figures",
              "min_chars", "within", "when", "note"}
_TOP_KEYS = {"name", "title", "citation", "verified", "applies_to", "not_headings", "items"}


class ChecklistError(ValueError):
    """A checklist name that is not shipped, or a checklist file that cannot be used."""


@dataclass(frozen=True)
class Item:
    """One required part of a report.

    Attributes
    ----------
    id, number, title, citation : str
    required : bool
        False: reported when found, never a SEC001 and not part of the score.
    verified : bool
        False when the requirement was recalled rather than read in a primary source.
    weight : float
        Share of the completeness score (> 0).
    order : int
        Position in the required order; items of equal rank may come in either order.
    headings, evidence, table_rows : tuple[re.Pattern, ...]
        Compiled patterns (see the module docstring).
    evidence_min, table_min, min_chars : int
    figures : bool
        The part is a statistics table: present only when it holds figures.
    within : str or None
        Id of the item whose part this one is searched in.
    when : str or None
        One of :data:`CONDITIONS`.
    note : str
    """

    id: str
    title: str
    number: str = ""
    citation: str = ""
    required: bool = True
    verified: bool = True
    weight: float = 1.0
    order: int = 0
    headings: tuple = field(default=(), repr=False)
    evidence: tuple = field(default=(), repr=False)
    evidence_min: int = 1
    table_rows: tuple = field(default=(), repr=False)
    table_min: int = 3
    figures: bool = False
    min_chars: int = 8
    within: str | None = None
    when: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        """``五 存在的主要问题及改进情况`` (number and title) for messages."""
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class Checklist:
    """A parsed checklist file.

    Attributes
    ----------
    name, title, citation : str
    verified : bool
    applies_to : tuple[str, ...]
        Document kinds it is meant for.
    not_headings : tuple[re.Pattern, ...]
        Numbered lines matching one of these are table rows, never headings.
    items : tuple[Item, ...]
        In file order.
    source : str
        ``package:NAME`` for a shipped checklist, else the file path.
    """

    name: str
    title: str
    items: tuple
    citation: str = ""
    verified: bool = True
    applies_to: tuple = ()
    not_headings: tuple = field(default=(), repr=False)
    source: str = ""

    def item(self, item_id: str) -> Item:
        """The item with ``item_id``. Raises KeyError."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


def _sre():
    """The ``re`` parser and its constants (``re._parser`` from Python 3.11, ``sre_parse``
    before), or None when neither exists."""
    try:
        return re._parser, re._constants  # Python >= 3.11
    except AttributeError:
        pass
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import sre_constants
            import sre_parse
        return sre_parse, sre_constants
    except ImportError:  # pragma: no cover - no such Python yet
        return None


def _parse(pattern: str):
    """``(ops, constants)``: ``pattern`` parsed by the ``re`` parser, or None when it does not
    parse or there is no parser (:func:`_sre`)."""
    sre = _sre()
    if sre is None:
        return None
    parser, const = sre
    try:
        return parser.parse(pattern), const
    except re.error:
        return None


_ANY = object()  # "any character may come first"


def star_height(pattern: str | re.Pattern) -> int | None:
    """Nesting depth of repeats in a regular expression, the shape of catastrophic
    backtracking: 0 for ``总体情况``, 1 for ``\\d+件``, 2 for ``(\\d+,?)+元``.

    ``(\\d+,?)+元`` takes about 2**n steps on a run of n digits not followed by 元, and
    Python's ``re`` has no timeout, so one such pattern in a checklist hangs the whole run.
    This is the "star height" test of safe-regex (J. Halliday's ``safe-regex``; the measure is
    Eggan's, 1963), made stricter in two ways: a repeat counts when it may match a varying
    number of copies, more than one (``+``, ``*``, ``{2,}``, ``{1,3}``; not ``?`` nor ``{4}``), or a
    fixed number of 4 or more copies of a body of varying width (``(.?){30}``, ``(\\d+){4}``),
    and an alternation inside such a repeat counts as one more level when two of its branches
    can begin with the same character (``(\\d|\\d\\d)+``, ``(年|年度)+``; not
    ``(\\d+|\\d+\\.\\d+)件``, which repeats nothing around it). Possessive repeats (``a++``) do not
    backtrack and add no level (what they hold still counts). A repeated body that can split one
    string in several ways counts one more level (``(\\d\\d?)+``, ``(a?a?)+``; not ``(a?b)+``:
    :func:`_ambiguous_body`).

    Still accepted though slow: patterns whose cost is a power of the line length rather than
    exponential (``.*存在.*问题.*不足`` on a very long line). Refused though fast: nested repeats
    separated by a required character (``(\\d+\\.)+\\d+``); write ``[0-9.]+`` instead.

    Returns None when the pattern cannot be parsed.
    """
    parsed = _parse(pattern.pattern if isinstance(pattern, re.Pattern) else pattern)
    if parsed is None:
        return None
    ops, const = parsed
    repeats = {const.MAX_REPEAT, const.MIN_REPEAT}
    possessive = getattr(const, "POSSESSIVE_REPEAT", None)
    atomic = getattr(const, "ATOMIC_GROUP", None)

    def first(seq) -> set | object:
        """Characters that can begin a match of ``seq`` (:data:`_ANY` when not a short list)."""
        for op, av in seq:
            if op is const.AT:
                continue
            if op is const.LITERAL:
                return {av}
            if op is const.IN and all(o is const.LITERAL for o, _ in av):
                return {v for _, v in av}
            if op is const.SUBPATTERN or op is atomic:
                return first(av[-1] if op is const.SUBPATTERN else av)
            if op is const.BRANCH:
                out: set = set()
                for b in av[1]:
                    f = first(b)
                    if f is _ANY:
                        return _ANY
                    out |= f
                return out
            if (op in repeats or op is possessive) and av[0] >= 1:
                return first(av[2])
            return _ANY
        return _ANY  # an empty branch: anything may follow

    def overlapping(branches) -> bool:
        seen: set = set()
        for b in branches:
            f = first(b)
            if f is _ANY or f & seen:
                return True
            seen |= f
        return False

    def height(seq, repeated: bool = False) -> int:
        """``repeated``: ``seq`` is inside a repeat that counts (alike branches count there)."""
        h = 0
        for op, av in seq:
            if op in repeats:
                lo, hi, sub = av
                # a varying number of copies; or a fixed number, 4 or more, of a body of varying
                # width ((.?){30} splits a run in C(n, 30) ways: a polynomial of degree 30)
                counts = (hi > 1 and hi > lo) or (lo == hi >= MIN_FIXED_REPEAT and _varying_width(sub))
                # (\d\d?)+ splits a run of digits in exponentially many ways
                # or one that may match nothing: (.?){30} matches k characters in C(30, k) ways
                extra = counts and (_ambiguous_body(sub, const) or _nullable(sub))
                h = max(h, height(sub, repeated or counts) + counts + extra)
            elif op is possessive:
                h = max(h, height(av[2], repeated))
            elif op is const.SUBPATTERN:
                h = max(h, height(av[-1], repeated))
            elif op is const.BRANCH:
                extra = repeated and overlapping(av[1])
                h = max([h] + [height(b, repeated) + extra for b in av[1]])
            elif op in (const.ASSERT, const.ASSERT_NOT):
                h = max(h, height(av[1], repeated))
            elif op is atomic:
                h = max(h, height(av, repeated))
            elif op is const.GROUPREF_EXISTS:
                h = max([h] + [height(b, repeated) for b in av[1:] if b is not None])
        return h

    return height(ops)


#: A fixed repeat (``{n}``) of a body of varying width counts as a repeat from this ``n`` on
#: (below it the cost is at most a cubic of the line length, like ``.*a.*b.*c``).
MIN_FIXED_REPEAT = 4


def _varying_width(sub) -> bool:
    """True when a parsed body can match strings of more than one length (``.?``, ``\\d+``,
    ``(年|年度)``), or its width cannot be told."""
    try:
        low, high = sub.getwidth()
    except Exception:  # noqa: BLE001 - an unusual parse: assume the worst
        return True
    return low != high


def _nullable(sub) -> bool:
    """True when a parsed body can match the empty string (``.?``, ``a*``, ``(年)?``)."""
    try:
        return sub.getwidth()[0] == 0
    except Exception:  # noqa: BLE001
        return False


def _char_set(seq, const):
    """The characters (code points) a one-character parsed body can match, or :data:`_ANY` (any
    other body, ``.``, negated classes, ``\\w``); ``\\d`` and ``\\s`` as the folded text holds them
    (ASCII digits, ASCII white space)."""
    if len(seq) != 1:
        return _ANY
    op, av = seq[0]
    if op is const.LITERAL:
        return {av}
    if op is const.IN:
        out: set = set()
        for o, v in av:
            if o is const.LITERAL:
                out.add(v)
            elif o is const.RANGE:
                out |= set(range(v[0], v[1] + 1))
            elif o is const.CATEGORY and v is const.CATEGORY_DIGIT:
                out |= set(range(48, 58))
            elif o is const.CATEGORY and v is const.CATEGORY_SPACE:
                out |= {9, 10, 11, 12, 13, 32}
            else:
                return _ANY
        return out
    if op is const.SUBPATTERN:
        return _char_set(av[-1], const)
    if op in (const.MAX_REPEAT, const.MIN_REPEAT):
        return _char_set(av[2], const)
    return _ANY


def _ambiguous_body(seq, const) -> bool:
    """A repeated body that can split one string in several ways: two or more items, one of
    them optional or of varying count (``\\d?``, ``a*``), and every item able to match what
    every other can (``\\d\\d?``, ``aa?``; not ``a?b``: each copy ends at its b)."""
    items = [(op, av) for op, av in seq if op is not const.AT]
    while len(items) == 1 and items[0][0] is const.SUBPATTERN:  # (a?a?) as a?a?
        items = [(op, av) for op, av in items[0][1][-1] if op is not const.AT]
    if len(items) < 2:
        return False
    varies = any(op in (const.MAX_REPEAT, const.MIN_REPEAT) and av[1] > av[0] for op, av in items)
    sets = [_char_set([it], const) for it in items]
    return varies and all(a is _ANY or b is _ANY or bool(a & b) for a in sets for b in sets)


def backtracking_degree(pattern: str | re.Pattern) -> int | None:
    """The power of the line length that a failing search with ``pattern`` may take: the
    longest run of repeats in one sequence that can trade characters with one another (each
    may give the next what it took: ``.*`` and ``.*``, ``\\d+`` and ``\\d+``), plus one when
    that run can begin at any position of the line (nothing required before it: ``search``
    tries every start).

    ``.*存在.*问题`` is 3 (took 9.8 s on a 9,000-character line holding 存在 a thousand times and
    no 问题), ``\\d+\\d+x`` 3 (25 s on 3,000 digits), ``.*存在.*问题.*不足`` 4; ``存在.*问题.*不足`` is
    2 (1 s on the same line: it starts only where 存在 does), ``\\d+件`` 2, ``总体情况`` 0. A
    repeat counts when it may match a varying number of copies, more than one (as in
    :func:`star_height`); a required character that the run's repeats cannot match ends the
    run (``\\d+件\\d+``: 件 is no digit); possessive repeats and atomic groups do not give back
    and end it too. What a repeat can match is read for single-character bodies (a literal, a
    class, ``.``, ``\\d``); any other body is taken as able to match anything. A repeat the
    pattern ends with adds nothing (it cannot fail after matching). An optional group counts
    both skipped and taken (``(?:\\d+)?\\d+元`` is 3, ``(?:[0-9]+\\.)?\\d+%`` 2: taken, its dot ends
    the run); an optional character ends no run, and :data:`MIN_FIXED_REPEAT` of them in a row
    that can trade characters count as one repeat (``(?:a?a?a?a?a?a?a?a?)aaaa工作`` is 3).
    Returns None when the pattern cannot be parsed.
    """
    parsed = _parse(pattern.pattern if isinstance(pattern, re.Pattern) else pattern)
    if parsed is None:
        return None
    ops, const = parsed
    repeats = {const.MAX_REPEAT, const.MIN_REPEAT}
    def overlap(a, b) -> bool:
        return a is _ANY or b is _ANY or bool(a & b)

    def plain(sub) -> bool:
        return not any(o is const.BRANCH for o, _ in sub)

    def one_char(sub) -> bool:
        """``sub`` matches one character (a literal, a class, ``.``), in groups or not."""
        items = [(o, a) for o, a in sub if o is not const.AT]
        while len(items) == 1 and items[0][0] is const.SUBPATTERN:
            items = [(o, a) for o, a in items[0][1][-1] if o is not const.AT]
        return len(items) == 1 and items[0][0] in (const.LITERAL, const.IN, const.ANY)

    def flat(seq) -> list:
        """``seq`` with plain groups opened (their items take part in the runs); an optional
        plain group of more than one character (``(?:\\d+)?``, ``(?:[0-9]+\\.)?``) becomes an
        ``(_OPTIONAL, items)`` marker (:func:`variants`)."""
        out = []
        for op, av in seq:
            if op is const.SUBPATTERN and plain(av[-1]):
                out += flat(av[-1])
            elif op in repeats and av[0] == 0 and av[1] == 1 and plain(av[2]) and not one_char(av[2]):
                out.append((_OPTIONAL, flat(av[2])))
            else:
                out.append((op, av))
        return out

    def variants(items) -> list[list]:
        """Every way through ``items``: each optional group skipped or taken. Past
        :data:`_MAX_VARIANTS` ways, one way that takes every group with its items unable to end
        a run (their characters may be skipped): never less than the real degree."""
        ways: list[list] = [[]]
        for item in items:
            if item[0] is _OPTIONAL:
                taken = variants(item[1])
                ways = ways + [w + t for w in ways for t in taken]
                if len(ways) > _MAX_VARIANTS:
                    return [transparent(items)]
            else:
                ways = [w + [item] for w in ways]
        return ways

    def transparent(items) -> list:
        """``items`` with every optional group's items spliced in, each marked skippable."""
        out = []
        for item in items:
            if item[0] is _OPTIONAL:
                out += [(_SKIPPABLE, it) for it in transparent(item[1])]
            else:
                out.append(item)
        return out

    def degree(seq, top: bool = False) -> int:
        return max(run_degree(way, top) for way in variants(flat(seq)))

    def run_degree(items, top: bool) -> int:
        """The degree of one way through the pattern (no optional groups left in ``items``)."""
        best, run, carry, leading = 0, 0, None, top
        streak, streak_set = 0, None  # optional characters in a row that can trade characters

        def extend(s) -> None:
            """One more repeat in the run (or the start of a new one), matching ``s``."""
            nonlocal run, carry, leading, best
            if run and overlap(carry, s):
                run += 1
                carry = _ANY if carry is _ANY or s is _ANY else carry | s
            else:
                start_any = leading and run == 0
                run, carry = 1, s
                leading = start_any
            best = max(best, run + (1 if leading else 0))

        for i, (op, av) in enumerate(items):
            skippable = op is _SKIPPABLE
            if skippable:
                op, av = av
            if op is const.AT:
                if av is const.AT_BEGINNING or av is const.AT_BEGINNING_STRING:
                    leading = False
                continue
            if op in repeats:
                lo, hi, sub = av
                inner = degree(sub)
                best = max(best, inner)
                if not (hi > 1 and hi > lo) or (top and i == len(items) - 1):
                    if lo >= 1 and not skippable:  # a fixed repeat still requires its characters
                        run, carry, leading, streak = 0, None, False, 0
                    elif lo == 0 and hi == 1:
                        # an optional character ends no run; MIN_FIXED_REPEAT of them in a row
                        # that can trade characters count as one more repeat
                        # (a?a?a?a?…aaaa…: 2**n ways to split a run of a's)
                        s = _char_set(sub, const)
                        if streak and overlap(streak_set, s):
                            streak += 1
                            streak_set = _ANY if streak_set is _ANY or s is _ANY else streak_set | s
                        else:
                            streak, streak_set = 1, s
                        if streak % MIN_FIXED_REPEAT == 0:
                            extend(streak_set)
                    continue
                streak = 0
                extend(_char_set(sub, const))
                continue
            if skippable:
                continue
            streak = 0
            if op in (const.LITERAL, const.IN, const.ANY) and run and overlap(carry, _char_set([(op, av)], const)):
                continue  # a character the run can also take: the run goes on
            if op in (const.ASSERT, const.ASSERT_NOT):  # consumes nothing: the run goes on
                best = max(best, degree(av[1]))
                continue
            for sub in _subsequences(op, av, const):
                best = max(best, degree(sub))
            run, carry, leading = 0, None, False
        return best

    return degree(ops, top=True)


def _subsequences(op, av, const) -> list:
    """The sub-sequences of one parsed item (branches, groups, lookarounds)."""
    if op is const.BRANCH:
        return list(av[1])
    if op is const.SUBPATTERN:
        return [av[-1]]
    if op in (const.ASSERT, const.ASSERT_NOT):
        return [av[1]]
    if op is getattr(const, "ATOMIC_GROUP", None):
        return [av]
    if op is getattr(const, "POSSESSIVE_REPEAT", None):
        return [av[2]]
    return []


#: Markers of :func:`backtracking_degree`: an optional group, an item that may be skipped.
_OPTIONAL = object()
_SKIPPABLE = object()
#: Most ways through a pattern's optional groups :func:`backtracking_degree` reads one by one.
_MAX_VARIANTS = 256


#: Patterns of a higher :func:`backtracking_degree` are refused.
MAX_BACKTRACKING_DEGREE = 2


def _patterns(values, where: str) -> tuple:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ChecklistError(f"{where}: expected a list of strings")
    out = []
    for v in values:
        if _group_depth(v) > MAX_GROUP_DEPTH:
            raise ChecklistError(f"{where}: pattern {v[:40]!r}… nests groups more than {MAX_GROUP_DEPTH} deep")
        try:
            with warnings.catch_warnings():
                # re warns (FutureWarning) of a '[' inside a class, as in [[:digit:]]: a POSIX
                # class Python does not have, so the pattern does not mean what was meant
                warnings.simplefilter("error", FutureWarning)
                out.append(re.compile(v))
        except FutureWarning as exc:
            raise ChecklistError(f"{where}: pattern {v!r}: {exc} (POSIX classes such as [[:digit:]] do not "
                                 r"exist in Python: write \d or [0-9])") from None
        except (re.error, OverflowError, RecursionError) as exc:  # {0,4294967295}; '(?:' * 5000
            shown = repr(v) if len(v) <= 80 else repr(v[:80]) + f"… ({len(v)} characters)"
            raise ChecklistError(f"{where}: bad pattern {shown}: {exc}") from None
        if (star_height(v) or 0) >= 2:
            raise ChecklistError(f"{where}: pattern {v!r} repeats a repeat (like (a+)+, (.*)* or "
                                 "(a|ab)+): such a pattern can take exponential time on an ordinary "
                                 "line and hang the run; write it without a repeat inside a repeat "
                                 "(e.g. [0-9,]+元 for (\\d+,?)+元)")
        if (backtracking_degree(v) or 0) > MAX_BACKTRACKING_DEGREE:
            raise ChecklistError(f"{where}: pattern {v!r} has repeats that can trade characters "
                                 "(like .*存在.*问题 or \\d+\\d+元): a line without a match can take "
                                 "time growing with the cube of its length and hang the run; drop "
                                 "a leading .* (a pattern is searched anywhere in the line) and "
                                 "merge neighbouring repeats")
        if out[-1].search("") is not None:
            raise ChecklistError(f"{where}: pattern {v!r} matches the empty string, so it matches "
                                 "every line")
        ch = _unmatchable_literal(v)
        if ch is not None:
            hint = "remove it" if ch.isspace() else f"write {fold(ch)!r}"
            raise ChecklistError(f"{where}: pattern {v!r} holds {ch!r}, which never occurs in the "
                                 "text patterns are matched against (folded to half width, spaces "
                                 f"removed): {hint}")
    return tuple(out)


def _unmatchable_literal(pattern: str) -> str | None:
    """The first literal character of ``pattern`` (outside character classes) that the text it
    is matched against never holds: whitespace (removed) or a character
    :func:`~summary_analysis.normalize.fold` changes (a full-width digit or letter). None when
    there is none, or the pattern cannot be parsed."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    ops, const = parsed
    nested = {const.MAX_REPEAT, const.MIN_REPEAT, getattr(const, "POSSESSIVE_REPEAT", None)}

    def walk(seq) -> str | None:
        for op, av in seq:
            if op is const.LITERAL:
                ch = chr(av)
                found = ch if ch.isspace() or fold(ch) != ch else None
            elif op is const.SUBPATTERN:
                found = walk(av[-1])
            elif op is const.BRANCH:
                found = next((c for c in map(walk, av[1]) if c is not None), None)
            elif op in nested:
                found = walk(av[2])
            else:
                found = None
            if found is not None:
                return found
        return None

    return walk(ops)


#: Deepest nesting of groups a checklist pattern may have. Python's parser recurses per group:
#: past some 500 levels a pattern was refused or not depending on the caller's stack depth
#: (session-15 hostile-input test); no real pattern nests more than a few.
MAX_GROUP_DEPTH = 50


def _group_depth(pattern: str) -> int:
    """How deep the parentheses of ``pattern`` nest (escaped ones and those in a character
    class do not count)."""
    depth = deepest = 0
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
    return deepest


def _printable(value: str, key: str, where: str) -> None:
    """Raise ChecklistError when ``value`` (a name, id or title, printed in reports and on the
    terminal) holds a control character: a line break or an escape sequence (``\x1b[31m``)
    would break the report's lines or reach the terminal (session-15 hostile-input test)."""
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise ChecklistError(f"{where}: '{key}' {value!r} holds the control character {bad!r}: give "
                             "one line of printable text")


def _typed(d: dict, key: str, kind, default, where: str):
    value = d.get(key, default)
    if value is default:
        return value
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ChecklistError(f"{where}: '{key}' must be {kind.__name__}, not {type(value).__name__}")
    return value


def _did_you_mean(unknown, known) -> str:
    """`` (did you mean 'headings'?)`` for unknown keys close to known ones (difflib), else ""."""
    import difflib

    close = [(k, m[0]) for k in sorted(unknown) for m in [difflib.get_close_matches(k, sorted(known), 1, 0.75)] if m]
    return f" (did you mean {', '.join(repr(m) for _, m in close)}?)" if close else ""


def parse_checklist(data: dict, source: str = "") -> Checklist:
    """Build a :class:`Checklist` from the parsed TOML mapping ``data``.

    Raises
    ------
    ChecklistError
        On a missing or mistyped key, an unknown key, a duplicate item id, a bad pattern or a
        ``within``/``when`` that names nothing known.
    """
    where = source or "checklist"
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ChecklistError(f"{where}: unknown key(s) {sorted(unknown)}{_did_you_mean(unknown, _TOP_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ChecklistError(f"{where}: 'name' (a non-empty string) is required")
    _printable(name, "name", where)
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise ChecklistError(f"{where}: at least one [[items]] table is required")
    items: list[Item] = []
    for i, d in enumerate(raw_items, 1):
        w = f"{where}: item {i}"
        if not isinstance(d, dict):
            raise ChecklistError(f"{w}: expected a table")
        unknown = set(d) - _ITEM_KEYS
        if unknown:
            raise ChecklistError(f"{w}: unknown key(s) {sorted(unknown)}{_did_you_mean(unknown, _ITEM_KEYS)}")
        for key in ("id", "title"):
            if not isinstance(d.get(key), str) or not d[key].strip():
                raise ChecklistError(f"{w}: '{key}' (a non-empty string) is required")
        for key in ("id", "title", "number", "citation", "note"):
            if isinstance(d.get(key), str):
                _printable(d[key], key, w)
        w = f"{where}: item '{d['id']}'"
        if not any(d.get(k) for k in ("headings", "evidence", "table_rows")):
            raise ChecklistError(f"{w}: give 'headings', 'evidence' or 'table_rows': without any the "
                                 "item can never be found")
        n_evidence = len(d.get("evidence") or [])
        for key in ("evidence_min", "table_min"):
            if key in d and _typed(d, key, int, 1, w) < 1:
                raise ChecklistError(f"{w}: '{key}' must be 1 or more, not {d[key]}")
        if n_evidence and _typed(d, "evidence_min", int, 1, w) > n_evidence:
            raise ChecklistError(f"{w}: 'evidence_min' is more than the {n_evidence} 'evidence' "
                                 "pattern(s): no line can hold that many")
        weight = _typed(d, "weight", float, 1.0, w)
        if not (0 < weight < float("inf")):  # also refuses nan, which compares false
            raise ChecklistError(f"{w}: 'weight' must be a finite number > 0")
        when = _typed(d, "when", str, None, w)
        if when is not None and when not in CONDITIONS:
            raise ChecklistError(f"{w}: 'when' must be one of {CONDITIONS}")
        items.append(Item(
            id=d["id"], title=d["title"], number=_typed(d, "number", str, "", w),
            citation=_typed(d, "citation", str, "", w),
            required=_typed(d, "required", bool, True, w),
            verified=_typed(d, "verified", bool, bool(data.get("verified", True)), w),
            weight=weight, order=_typed(d, "order", int, i, w),
            headings=_patterns(d.get("headings"), f"{w} headings"),
            evidence=_patterns(d.get("evidence"), f"{w} evidence"),
            evidence_min=max(1, _typed(d, "evidence_min", int, 1, w)),
            table_rows=_patterns(d.get("table_rows"), f"{w} table_rows"),
            table_min=max(1, _typed(d, "table_min", int, 3, w)),
            figures=_typed(d, "figures", bool, False, w),
            min_chars=max(0, _typed(d, "min_chars", int, 8, w)),
            within=_typed(d, "within", str, None, w), when=when,
            note=_typed(d, "note", str, "", w)))
    ids = [it.id for it in items]
    twice = sorted({x for x in ids if ids.count(x) > 1})
    if twice:
        raise ChecklistError(f"{where}: item id(s) {', '.join(map(repr, twice))} given to more than one item: "
                             "each item needs an id of its own")
    for it in items:
        if it.within is not None and (it.within not in ids or it.within == it.id):
            raise ChecklistError(f"{where}: item '{it.id}': 'within' names no other item")
    within = {it.id: it.within for it in items}
    for it in items:  # a chain of 'within' must end at an item that is within nothing
        seen, at = [it.id], it.within
        while at is not None:
            if at in seen:
                raise ChecklistError(f"{where}: items {' → '.join(repr(x) for x in seen + [at])}: 'within' "
                                     "goes round in a circle; one of them must stand on its own")
            seen.append(at)
            at = within.get(at)
    applies = data.get("applies_to", [])
    if not isinstance(applies, list) or not all(isinstance(a, str) for a in applies):
        raise ChecklistError(f"{where}: 'applies_to' must be a list of strings")
    from ..sections import KINDS

    unknown_kinds = [a for a in applies if a not in KINDS]
    if unknown_kinds:
        raise ChecklistError(f"{where}: 'applies_to' names unknown document kind(s) {unknown_kinds}: "
                             f"the kinds are {', '.join(KINDS)}")
    return Checklist(name=name.strip(), title=_typed(data, "title", str, name, where),
                     items=tuple(items), citation=_typed(data, "citation", str, "", where),
                     verified=_typed(data, "verified", bool, True, where), applies_to=tuple(applies),
                     not_headings=_patterns(data.get("not_headings"), f"{where} not_headings"),
                     source=source)


def available_checklists() -> list[str]:
    """Names of the shipped checklists, sorted."""
    return list(_shipped())


@lru_cache(maxsize=1)
def _shipped() -> tuple[str, ...]:
    # package data: listed once per process (every document's checklist lookup asks)
    folder = resources.files("summary_analysis.data").joinpath("checklists")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


#: Full-width punctuation a Chinese input method types where TOML needs ASCII.
_FULL_WIDTH_SYNTAX = "＝“”‘’［］，"


def _toml_hint(text: str, exc: Exception) -> str:
    """A hint for a TOML error: a backslash escape in a basic string (``"\\d"``: regexes and
    Windows paths), ``[items]`` written for ``[[items]]``, full-width punctuation or non-ASCII
    keys on the line."""
    line_no = getattr(exc, "lineno", None)
    if line_no is None:  # Python < 3.14: the message ends "(at line L, column C)"
        m = re.search(r"at line (\d+)", str(exc))
        line_no = int(m.group(1)) if m else None
    lines = text.splitlines()
    line = lines[line_no - 1] if line_no and 0 < line_no <= len(lines) else ""
    message = str(exc)
    if "\\" in line and ("escape" in message.lower() or "hex value" in message.lower()):
        return (" — a backslash in a \"…\" string starts an escape: write a pattern between single "
                "quotes ('受理\\d+件', a literal string) or double the backslash (\"受理\\\\d+件\"); "
                "a Windows path the same way, or with / for \\")
    if ("overwrite" in message or "'items'" in message) and re.search(r"(?m)^\s*\[\s*items\s*\]\s*$", text):
        return " — each item starts with [[items]] (two brackets: a list of items), not [items]"
    found = [c for c in _FULL_WIDTH_SYNTAX if c in line]
    if found:
        return (f" — the line holds full-width {' '.join(found)}: TOML needs = \" ' [ ] , typed "
                "in half width (switch the input method to English punctuation)")
    key = line.split("=", 1)[0].strip() if "=" in line else ""
    if key and not key.isascii():
        return f" — keys such as {key!r} must be the English names of this format (id, title, headings…)"
    return ""


@lru_cache(maxsize=64)
def _load_cached(key: str, is_path: bool, mtime: float) -> Checklist:
    if is_path:
        path = Path(key)
        text = ""
        try:
            # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte-order mark
            text = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            raise ChecklistError(f"cannot read checklist file {key}: not UTF-8 text; save it as UTF-8 "
                                 f"(另存为 UTF-8 编码)") from None
        except OSError as exc:
            raise ChecklistError(f"cannot read checklist file {key}: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ChecklistError(f"{key}: not valid TOML: {exc}{_toml_hint(text, exc)}") from None
        except RecursionError:  # tomllib parses nested arrays and tables recursively
            raise ChecklistError(f"{key}: not a checklist: arrays or tables nested too deeply to read") from None
        return parse_checklist(data, source=key)
    text = resources.files("summary_analysis.data").joinpath("checklists", f"{key}.toml").read_text(
        encoding="utf-8")
    return parse_checklist(tomllib.loads(text), source=f"package:{key}")


def load_checklist(name_or_path) -> Checklist:
    """Load a shipped checklist by name, or a checklist TOML file by path.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        ``gov-info-annual-2021``, ``gov-info-annual-2008``, ``work-summary`` (see
        :func:`available_checklists`), or the path of a TOML file in the format of the module
        docstring.

    Returns
    -------
    Checklist

    Raises
    ------
    ChecklistError
        Unknown name, unreadable file, invalid TOML or an invalid checklist.
    """
    key = str(name_or_path)
    if key in _shipped():
        return _load_cached(key, False, 0.0)
    path = Path(key)
    if path.is_file():
        return _load_cached(str(path.resolve()), True, path.stat().st_mtime)
    raise ChecklistError(f"unknown checklist '{key}': not a file, and not one of "
                         f"{', '.join(available_checklists())}")
