"""Width folding for analysis that never shifts character offsets.

``fold(text)`` maps full-width ASCII (``６８``, ``ＡＢ``, ``（``) and the ideographic space to their
half-width forms one character for one character, so ``len(fold(t)) == len(t)`` and an offset
found in the folded text is an offset into ``Document.text`` (output contract, "Text and spans").
Characters whose NFKC form is longer than one character (e.g. ``㎡``) are left as they are.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Full-width forms U+FF01..U+FF5E map to U+0021..U+007E; U+3000 to a space.
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20
# Keep the full-width brackets and punctuation that Chinese text uses as its own: only digits,
# letters and the ASCII-like symbols inside numbers are folded.
for _ch in "（）：；，！？":
    _TABLE.pop(ord(_ch), None)


def fold(text: str) -> str:
    """Return ``text`` with full-width digits, letters and ASCII symbols folded to half width.

    The Chinese punctuation （）：；，！？ is kept full width (it is the normal form in Chinese text).
    Output length equals input length.
    """
    return text.translate(_TABLE)


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """NFKC of one character when that is one character, else the character itself."""
    n = unicodedata.normalize("NFKC", ch)
    return n if len(n) == 1 else ch
