"""Chinese numerals read by `cn2an <https://github.com/Ailln/cn2an>`_, imported only when needed.

Importing cn2an costs about half a second of start-up (its package builds its converters, and
their regular expressions, at import; it also imports ``proces``, which compiles a pattern of
every city name). Most numerals a report's structure and figures ask about are one character
(一、 三是 一项 十条), whose value is the digit itself: those are answered from
:data:`SINGLE` without cn2an, so a batch without a numeral of two or more characters never
imports it. ``tests/test_numerals.py`` checks :data:`SINGLE` against cn2an's own readings in
both modes.
"""

from __future__ import annotations

import warnings

#: Value of a one-character Chinese numeral as cn2an reads it in ``normal`` mode.
SINGLE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9, "十": 10}
#: One-character numerals cn2an's ``strict`` mode refuses (it reads them in ``normal`` mode only).
NOT_STRICT = frozenset("〇两")


def cn2an_value(s: str, mode: str = "normal") -> int | float:
    """``cn2an.cn2an(s, mode)``, with one-character numerals read from :data:`SINGLE`.

    Parameters
    ----------
    s : str
        A Chinese numeral (``十二``, ``两千零五``, ``一点五``).
    mode : str
        cn2an's mode: ``strict`` or ``normal`` (``smart`` is passed on too).

    Returns
    -------
    int or float
        cn2an's value (a float for a decimal numeral).

    Raises
    ------
    ValueError
        What cn2an raises for a string it cannot read (``十十``; ``两`` in ``strict`` mode);
        cn2an may raise other exceptions on odd input, which are passed on.
    """
    if len(s) == 1 and s in SINGLE:
        if mode == "strict" and s in NOT_STRICT:
            raise ValueError(f"{s!r} is not a numeral in cn2an's strict mode")
        return SINGLE[s]
    import cn2an

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cn2an.cn2an(s, mode)
