"""Reader for the hand-written gold outlines in tests/data/outlines/ (format: README.md there)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

OUTLINES = Path(__file__).resolve().parent / "data" / "outlines"

_ENTRY = re.compile(r"^(?P<indent> *)(?P<kind>[hp])(?P<level>\d) (?P<number>\S+) (?P<title>.+)$")


@dataclass(frozen=True)
class GoldEntry:
    kind: str        # heading | point
    level: int
    number: str
    path: str
    title: str


@dataclass(frozen=True)
class GoldOutline:
    name: str
    doc_id: str
    kind: str
    issuer: str | None
    year: int | None
    title: str
    entries: tuple[GoldEntry, ...]


def path_part(number: str) -> str:
    """Path component of a number as written: 一、→一, (一)→（一）, 7.→7, 一是→一是."""
    n = number.strip()
    if n.endswith("是"):
        return n
    n = n.replace("(", "（").replace(")", "）")
    if n.startswith("（"):
        return n
    return n.rstrip("、.．")


def load(path: Path) -> GoldOutline:
    head: dict[str, str] = {}
    entries: list[GoldEntry] = []
    stack: list[tuple[int, str]] = []  # (indent, path)
    in_body = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.strip() == "---":
            in_body = True
            continue
        if not in_body:
            key, _, value = raw.partition(":")
            head[key.strip()] = value.strip()
            continue
        m = _ENTRY.match(raw)
        if not m:
            raise ValueError(f"{path.name}: bad outline line {raw!r}")
        indent = len(m["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        part = path_part(m["number"])
        p = f"{stack[-1][1]}/{part}" if stack else part
        stack.append((indent, p))
        entries.append(GoldEntry("heading" if m["kind"] == "h" else "point", int(m["level"]),
                                 m["number"], p, m["title"].strip()))
    none = lambda v: None if v in ("", "-") else v  # noqa: E731
    year = none(head.get("year", "-"))
    return GoldOutline(path.stem, head["doc_id"], head["kind"], none(head.get("issuer", "-")),
                       int(year) if year else None, head.get("title", ""), tuple(entries))


def load_all() -> list[GoldOutline]:
    return [load(p) for p in sorted(OUTLINES.glob("*.txt"))]


def norm_title(title: str) -> str:
    """Compare titles without spaces, width or punctuation differences (first 12 characters)."""
    from summary_analysis.normalize import fold

    t = re.sub(r"[\s\u3000*#。，,、：:；;“”\"'（）()]", "", fold(title))
    return t[:12]


def key(kind: str, level: int, path: str, title: str) -> tuple:
    return (kind, level, path, norm_title(title))


# --- seeded reformattings that must not change an outline --------------------------------------

_NUM_START = re.compile(r"^(?P<lead>\s*)(?P<num>[一二三四五六七八九十]{1,2}、|[(（][一二三四五六七八九十]{1,2}[)）]"
                        r"|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]是)")


def swap_width(text: str, rng) -> str:
    """Numbering written the other way: (一)↔（一）, 1.→1、 or 1．, on every numbered line."""
    out = []
    for line in text.split("\n"):
        m = _NUM_START.match(line)
        if m and not line.lstrip().startswith("|"):
            num = m["num"]
            if num[0] in "(（":
                num = ("（" + num[1:-1] + "）") if num[0] == "(" else ("(" + num[1:-1] + ")")
            elif num[0].isdigit():
                num = num[:-1] + rng.choice(["、", "．", ". "])
            line = m["lead"] + num + line[m.end():]
        out.append(line)
    return "\n".join(out)


def markdown_marks(text: str, rng) -> str:
    """`#` marks of a random depth and **bold** on numbered lines (the numbering still decides)."""
    out = []
    for line in text.split("\n"):
        m = _NUM_START.match(line)
        if m and not line.lstrip().startswith(("|", "#")):
            hashes = "#" * rng.randint(1, 4)
            line = f"{hashes} **{line.strip()}**" if rng.random() < 0.3 and len(line) < 40 else f"{hashes} {line.strip()}"
        out.append(line)
    return "\n".join(out)


def no_blank_lines(text: str, rng) -> str:
    return re.sub(r"\n\s*\n+", "\n", text)


def pdf_wrap(text: str, rng, width: int = 35) -> str:
    """Hard line breaks every ``width`` characters, as a PDF extractor leaves them (pipe rows kept)."""
    out = []
    for line in text.split("\n"):
        if line.lstrip().startswith("|") or len(line) <= width:
            out.append(line)
            continue
        out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n".join(out)


VARIANTS = {"swap-width": swap_width, "markdown-marks": markdown_marks,
            "no-blank-lines": no_blank_lines, "pdf-wrap-35": pdf_wrap}
