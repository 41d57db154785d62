"""Format readers: bytes of one file -> raw text (before splitting and cleaning).

Tables in every format become one line per row with cells joined by `` | `` and framed by
``|`` (the Markdown pipe form), so later stages see one table shape whatever the source.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from .encoding import ENCRYPTED_OFFICE, decode_bytes, misread_chinese, sniff_binary
from .errors import ReadError
from .pdfcost import check_content_bytes
from .pdftext import clean_pdf_text

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".html", ".htm", ".pdf"}

#: Largest total uncompressed size accepted inside a .docx (zip bomb guard), bytes.
DEFAULT_MAX_UNZIPPED = 200 * 1024 * 1024

#: Largest uncompressed XML part of a .docx parsed, bytes (an lxml tree takes several times
#: its text in memory).
MAX_XML_PART = 64 * 1024 * 1024

#: Most pages read from one PDF (an annual report has tens; thousands means a hostile file).
MAX_PDF_PAGES = 2000

#: Most characters extracted from one PDF's text layer: ten times the longest document analysed
#: (:data:`summary_analysis.ingest.DEFAULT_MAX_CHARS`). A character map that maps one code to
#: 256 characters, or one content stream shared by hundreds of pages, turns a 25 KB file into
#: 100 million characters and more; extraction stops at this budget.
MAX_PDF_TEXT_CHARS = 5_000_000

#: Most bytes of text-showing operands (``Tj``, ``TJ``, ``'``, ``"``) on one page; a full page
#: of Chinese text has about 10 KB. pypdf builds each operator's text before it can be counted,
#: so this bounds what one page can expand to before the character budget sees it.
MAX_PDF_PAGE_TEXT_BYTES = 256 * 1024

#: Most operators text extraction visits in one PDF (a page of text has 1,000 to 5,000): the
#: bound for content that :func:`.pdfcost.check_content_bytes` does not add up before reading,
#: Form XObjects called from other forms; about 30 s of parsing.
MAX_PDF_OPERATORS = 3_000_000

_TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}


class _TextBudget:
    """Visitors for pypdf's ``extract_text`` that stop it (:class:`ReadError` ING004) once the
    PDF's text passes ``max_chars`` characters, one page's text operands
    :data:`MAX_PDF_PAGE_TEXT_BYTES` bytes, or the PDF's operators :data:`MAX_PDF_OPERATORS`."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.operators = 0
        #: The first limit passed: pypdf catches what a visitor raises inside a form (a form it
        #: cannot read is a warning to it) and goes on, so :func:`_read_pdf` raises it again
        #: after the page (a form within a form over the operator budget lost its text
        #: silently; session-18 hostile test).
        self.error: ReadError | None = None
        self.chars = 0  # characters of the pages done, plus the current page's pieces so far
        self.page_bytes = 0

    def new_page(self) -> None:
        self.page_bytes = 0

    def operand(self, operator: bytes, operands, *_) -> None:
        self.operators += 1
        if self.operators > MAX_PDF_OPERATORS:
            self.fail(ReadError("ING004", f"PDF of over {MAX_PDF_OPERATORS:,} content operators (a page of text "
                                          "has a few thousand; forms drawn within forms?): not read"))
        if operator not in _TEXT_OPERATORS:
            return
        for op in operands:
            for item in (op if isinstance(op, list) else [op]):
                if isinstance(item, (str, bytes)):
                    self.page_bytes += len(item)
        if self.page_bytes > MAX_PDF_PAGE_TEXT_BYTES:
            self.fail(ReadError("ING004", f"PDF page with over {MAX_PDF_PAGE_TEXT_BYTES // 1024} KB of text "
                                          "operators (a page of text has about 10 KB): not read"))

    def text(self, piece, *_) -> None:
        self.add(len(piece))

    def add(self, n: int) -> None:
        self.chars += n
        if self.chars > self.max_chars:
            self.fail(ReadError("ING004", f"PDF text runs past {self.max_chars:,} characters (a character map "
                                          "or a content stream shared by many pages expands it): not read"))

    def fail(self, error: ReadError) -> None:
        """Raise ``error``, or the first error raised before it (kept in :attr:`error`)."""
        if self.error is None:
            self.error = error
        raise self.error


def table_row(cells: list[str]) -> str:
    """Join one table row's cell texts as ``| a | b |`` (whitespace inside Chinese cells
    removed, a literal ``|`` in a cell written as full-width ``｜``)."""
    out: list[str] = []
    for c in cells:
        c = re.sub(r"\s+", "", c) if re.search(r"[\u4e00-\u9fff]", c) else " ".join(c.split())
        out.append(c.replace("|", "｜"))
    return "| " + " | ".join(out) + " |"


def read_text_file(data: bytes) -> tuple[str, str]:
    """Decode a .txt/.md file; returns ``(text, encoding)``. Raises :class:`ReadError`."""
    text, enc = decode_bytes(data)
    return text, enc


#: Most paragraphs (``w:p``, in tables and text boxes too) a .docx may hold: a report has a few
#: thousand. An 88 KB file of 6,000,000 empty paragraphs took 85 s and 960 MB to read
#: (session-15 hostile-input test).
MAX_DOCX_PARAGRAPHS = 200_000


def read_docx(data: bytes, max_unzipped: int = DEFAULT_MAX_UNZIPPED) -> str:
    """Paragraphs and table rows of a .docx body in document order (:func:`_docx_blocks`),
    including text in content controls, tracked insertions, nested tables and text boxes.

    Raises
    ------
    ReadError
        ING001 for a file that is not a valid docx (truncated, not a zip, no body, a part
        python-docx cannot read); ING004 when the archive would expand past ``max_unzipped``
        bytes (zip bomb) or it holds more than :data:`MAX_DOCX_PARAGRAPHS` paragraphs.
    """
    if not data.startswith(b"PK"):
        kind = sniff_binary(data)
        if kind == ENCRYPTED_OFFICE:
            raise ReadError("ING001", f"cannot read: the file is {kind}; save a copy without the password "
                                      "and check that")
        raise ReadError("ING001", "not a .docx: " + (f"the file is {kind} (wrong file extension?)" if kind
                                                      else "not a ZIP package (plain text or another "
                                                           "format renamed .docx?)"))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError("ING001", f"not a valid .docx (damaged or truncated zip: {exc})") from None
    if total > max_unzipped:
        raise ReadError("ING004", f".docx expands to {total / 1048576:.0f} MB, over the "
                                  f"{max_unzipped / 1048576:.0f} MB safety limit (zip bomb?): not opened")
    _refuse_xml_declarations(zf, min(MAX_XML_PART, max_unzipped))
    try:
        import docx  # python-docx; its parser does not resolve external entities

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise ReadError("ING001", f"cannot open .docx (damaged package?): {type(exc).__name__}: "
                                  f"{str(exc)[:200]}") from None

    from .docx_numbering import ListNumbering

    body = getattr(document.element, "body", None)  # Strict Open XML: another namespace, no body
    if body is None:
        raise ReadError("ING001", "not a usual .docx: its document part has no body (w:body) in the usual "
                                  "namespace (a Strict Open XML file? save it as a Word Document, .docx)")
    paragraphs = int(body.xpath("count(.//w:p)"))  # counted by lxml (python-docx knows the w: prefix)
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise ReadError("ING004", f".docx of {paragraphs} paragraphs is over the {MAX_DOCX_PARAGRAPHS}-paragraph "
                                  "safety limit: not read")
    try:
        return "\n".join(_docx_blocks(body, document, ListNumbering(document), _hidden_text(document)))
    except (AttributeError, KeyError, ValueError, TypeError) as exc:  # an unusual or damaged part
        raise ReadError("ING001", f"cannot read .docx: a part is damaged or not laid out as Word writes it "
                                  f"({type(exc).__name__}: {str(exc)[:160]})") from None



_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# run content that python-docx's Run.text turns into text (w:t, tabs, breaks)
_RUN_TEXT = {_W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")}
# subtrees whose text is not in the document's body text: deleted or moved-away revisions, the
# fallback copy of content (a text box) that mc:AlternateContent also gives as its choice, ruby
# (pinyin) above characters, and text boxes (read as lines of their own after their paragraph)
_NOT_SHOWN = {_W + "del", _W + "moveFrom", _MC_FALLBACK, _W + "rt", _W + "txbxContent"}
# block-level wrappers whose content is part of the body: content controls, custom XML, revisions
_WRAPPERS = {_W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo", _W + "smartTag"}


def _sdt_skipped(sdt) -> bool:
    """A content control whose text is not the author's: a table of contents (Word's "Table of
    Contents" gallery: its lines repeat the headings, with page numbers) or one still showing
    its placeholder prompt (单击或点击此处输入文字。), i.e. left unfilled."""
    pr = sdt.find(_W + "sdtPr")
    if pr is None:
        return False
    if pr.find(_W + "showingPlcHdr") is not None:
        return True
    gallery = pr.find(f"{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and (gallery.get(_W + "val") or "").lower() == "table of contents"


def _hidden_text(document):
    """:class:`~.docx_hidden.HiddenText` of a python-docx document (no styles part: none)."""
    from .docx_hidden import HiddenText

    try:
        styles = document.styles.element
    except (KeyError, AttributeError):
        styles = None
    return HiddenText(styles)


def _docx_blocks(container, document, numbering, hidden) -> list[str]:
    """The lines of a body, table cell, content control or text box, in document order: a
    paragraph's text (:func:`_docx_paragraph_text`) and then the lines of the text boxes
    anchored in it, a table's rows (a nested table's rows inside its cell), and the blocks of
    content controls (w:sdt; not a table of contents nor an unfilled one, :func:`_sdt_skipped`),
    custom XML and tracked insertions, which government templates and revised drafts put around
    whole paragraphs. A paragraph Word numbers automatically starts with the label Word shows
    (``numbering``, a :class:`~summary_analysis.ingest.docx_numbering.ListNumbering`), unless
    all its text is hidden (``hidden``, a :class:`~.docx_hidden.HiddenText`)."""
    from docx.table import Table

    lines: list[str] = []
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            text = _docx_paragraph_text(child, hidden)
            lines.append(numbering.label(child) + text if text or not hidden.paragraph(child) else "")
            # the outermost text boxes of the paragraph (_shown: none between it and the box, not a
            # fallback copy); boxes inside a box come with that box's own paragraphs
            for box in child.iter(_W + "txbxContent"):
                if _shown(box.getparent(), child):
                    lines += _docx_blocks(box, document, numbering, hidden)
        elif tag == _W + "tbl":
            for row in _table_cells(Table(child, document)._tbl):
                cells = ["\n".join(_docx_blocks(tc, document, numbering, hidden)) for tc in row]
                if any(c.strip() for c in cells):
                    lines.append(table_row(cells))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None and not _sdt_skipped(child):
                lines += _docx_blocks(content, document, numbering, hidden)
        elif tag in _WRAPPERS:
            lines += _docx_blocks(child, document, numbering, hidden)
    return lines


def _table_cells(tbl):
    """Yield, for each row (``w:tr``) of a ``w:tbl``, its cells (``w:tc``) each once: a cell
    merged across columns (``gridSpan``) once; in a cell merged down rows (``vMerge``), the first
    row's cell, in every row it spans. The same cells as python-docx's ``Row.cells`` without
    its repeats, but without making one object per grid column it spans (a hostile gridSpan of
    30 million kept python-docx busy for minutes)."""
    above: dict = {}  # grid column where a cell of the row above starts -> its cell
    for tr in tbl.tr_lst:
        here: dict = {}
        row, seen = [], set()
        column = tr.grid_before
        for tc in tr.tc_lst:
            # a continued cell is the one starting at the same grid column above (python-docx's
            # tc._tc_above, found there with two XPath walks per cell); none there: its own
            root = above.get(column, tc) if tc.vMerge == "continue" else tc
            here[column] = root
            column += tc.grid_span
            if id(root) not in seen:
                seen.add(id(root))
                row.append(root)
        above = here
        yield row


def _docx_paragraph_text(p, hidden) -> str:
    """The text of a w:p element: the text of every run in it (as python-docx's ``Run.text``),
    also of runs inside tracked insertions, fields, content controls and smart tags, which
    ``Paragraph.text`` leaves out; deleted revisions, ruby, hidden text (``hidden``, a
    :class:`~.docx_hidden.HiddenText`: direct formatting, character and paragraph styles) and
    text boxes (their own lines, :func:`_docx_blocks`) are left out."""
    by_paragraph = hidden.paragraph(p)
    return "".join(str(e) for r in p.iter(_W + "r") if not hidden.run(r, by_paragraph) and _shown(r.getparent(), p)
                   for e in r.iterchildren() if e.tag in _RUN_TEXT)


def _shown(node, top) -> bool:
    """False when ``node`` or an ancestor of it below ``top`` hides its text (:data:`_NOT_SHOWN`,
    or an inline content control that :func:`_sdt_skipped` skips)."""
    while node is not None and node is not top:
        if node.tag in _NOT_SHOWN or (node.tag == _W + "sdt" and _sdt_skipped(node)):
            return False
        node = node.getparent()
    return True


def _refuse_xml_declarations(zf: zipfile.ZipFile, max_part: int) -> None:
    """Refuse a .docx whose XML parts declare a DTD or entities, or are too large to parse.

    An XML tree takes several times its text in memory, so one part may expand to at most
    ``max_part`` bytes (:data:`MAX_XML_PART`, 64 MB, or the archive limit if lower; Word's
    ``document.xml`` for a 100-page report is a few MB).

    Office never writes ``<!DOCTYPE``/``<!ENTITY`` into a package; in a submitted file they
    can only serve an XML external entity (XXE) or entity-expansion ("billion laughs") attack.
    python-docx's parser does not resolve entities either; this check makes the refusal
    explicit (ING004) instead of silently reading a document with holes.

    Raises
    ------
    ReadError
        ING004 naming the part (DTD, entity or size); ING001 when a part cannot be decompressed.
    """
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        if info.file_size > max_part:
            raise ReadError("ING004", f".docx part '{info.filename}' expands to {info.file_size / 1048576:.0f} MB, "
                                      f"over the {max_part / 1048576:.0f} MB limit for one XML part: not parsed")
        try:
            with zf.open(info) as fh:
                head = fh.read(65536)
        except Exception as exc:  # zlib.error, BadZipFile, RuntimeError (encrypted member)
            raise ReadError("ING001", f"not a valid .docx: part '{info.filename}' cannot be "
                                      f"decompressed ({type(exc).__name__})") from None
        probe = head.replace(b"\x00", b"").upper()
        if b"<!DOCTYPE" in probe or b"<!ENTITY" in probe:
            raise ReadError("ING004", f".docx part '{info.filename}' declares a DTD or XML entities, "
                                      "which Word never writes (XML external entity attack?): refused")


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
               "tr", "table", "ul", "ol", "blockquote", "pre", "header", "footer", "dd", "dt"}


#: Charsets a page may declare that are trusted when they decode strictly (East Asian
#: multi-byte encodings cannot be told apart from GB18030 by bytes alone).
_TRUSTED_META = {"utf-8", "utf8", "gb18030", "big5", "big5-hkscs", "shift_jis", "euc-jp", "euc-kr"}


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_DECLARATION = re.compile(r"(?:^|;)\s*([-a-zA-Z]+)\s*:\s*([^;]*)")


def _style(tag) -> dict[str, str]:
    """The declarations of ``tag``'s own ``style`` attribute, property -> value (lower case;
    comments removed). As in a browser, a later declaration of a property wins, unless the
    earlier one is ``!important`` and the later is not."""
    style = tag.get("style")
    if not isinstance(style, str) or ":" not in style:
        return {}
    out: dict[str, str] = {}
    important: set[str] = set()
    for prop, value in _DECLARATION.findall(_CSS_COMMENT.sub("", style)):
        prop = prop.lower()
        value = value.strip().lower()
        is_important = value.endswith("important") and "!" in value
        if is_important:
            value = value[:value.rindex("!")].strip()
        elif prop in important:
            continue
        if is_important:
            important.add(prop)
        out[prop] = value
    return out


def _drop_hidden(soup, visibility: bool = True) -> None:
    """Remove what a browser does not show whatever the stylesheets say, from its own
    attributes: elements with ``display: none`` or ``content-visibility: hidden`` in their
    ``style``, or the ``hidden`` attribute (unless their ``style`` sets another ``display``),
    with everything inside; and text under ``visibility: hidden`` or ``collapse``, which is
    inherited, so a descendant with ``visibility: visible`` is shown. ``<html>`` and ``<body>``
    are never removed: pages hide them until a script has run (against a flash of unstyled
    content). Hiding by a stylesheet's class is not resolved. One pass over the tree, and a
    second for inherited visibility unless ``visibility`` is False (the page never names it)."""
    from bs4 import NavigableString, Tag

    gone = []
    for tag in soup.find_all(True):
        if tag.name in ("html", "body"):
            continue
        style = _style(tag)
        display = style.get("display")
        if display == "none" or style.get("content-visibility") == "hidden" \
                or (tag.has_attr("hidden") and display is None):
            gone.append(tag)
    for tag in gone:
        if not tag.decomposed:  # not inside a hidden element already removed
            tag.decompose()
    if not visibility:
        return
    hidden: dict[int, bool] = {}  # id(tag) -> its text is hidden (inherited visibility)
    invisible = []
    for node in soup.descendants:
        parent = node.parent
        inherited = hidden.get(id(parent), False) if parent is not None else False
        if isinstance(node, Tag):
            vis = _style(node).get("visibility")
            hidden[id(node)] = inherited if vis is None else vis in ("hidden", "collapse")
        elif isinstance(node, NavigableString) and inherited:
            invisible.append(node)
    for node in invisible:
        node.extract()


#: ARIA landmark roles of a page's own chrome (WAI-ARIA 1.2 §5.3.4): navigation, site header
#: and footer, search.
_CHROME_ROLES = ["navigation", "banner", "contentinfo", "search"]


def _drop_site_chrome(soup) -> None:
    """Remove the site's navigation from a page: ``<nav>`` and elements whose ARIA role is a
    navigation, banner, contentinfo or search landmark; and, when the page marks its content
    with ``<article>`` or ``<main>``, the ``<header>``, ``<footer>`` and ``<aside>`` outside it
    (a page without those elements may hold its title in a ``<header>``: kept)."""
    for tag in soup.find_all("nav") + soup.find_all(attrs={"role": _CHROME_ROLES}):
        if not tag.decomposed:
            tag.decompose()
    if soup.find(["article", "main"]) is None:
        return
    for tag in soup.find_all(["header", "footer", "aside"]):
        if not tag.decomposed and tag.find_parent(["article", "main"]) is None and not tag.find(["article", "main"]):
            tag.decompose()


def _keep_foreign_objects(soup) -> None:
    """An ``<svg>`` holding ``<foreignObject>`` HTML (which browsers show as a page's text) is
    kept as a ``div``, its own drawing labels (``text``, ``title``, ``desc``) outside the
    foreign objects dropped; every other svg is dropped whole by the caller. A report wrapped
    so was read as empty (ING003; session-16 hostile-input test)."""
    for svg in soup.find_all("svg"):
        if svg.decomposed or svg.find("foreignobject") is None:
            continue
        for label in svg.find_all(["text", "title", "desc"]):
            if not label.decomposed and label.find_parent("foreignobject") is None:
                label.decompose()
        svg.name = "div"


#: Most start tags (and comments) an HTML page may hold: a government site's page has a few
#: thousand, a compilation page of 范文 some tens of thousands. Each becomes a Python object of
#: several hundred bytes in the parsed tree: 16 MB of ``<br>`` (4 million elements) took 2.45 GB and two
#: minutes to read (session-17 hostile-input test).
MAX_HTML_ELEMENTS = 400_000

#: A start tag, comment (``<!--``), declaration or processing instruction: each a node of the
#: parsed tree (2.8 million empty comments took 46 s and 1.7 GB; session-18 hostile test).
_START_TAG = re.compile(r"<[A-Za-z!?]")


def _check_elements(text: str) -> None:
    """ReadError (ING004) when ``text`` holds more than :data:`MAX_HTML_ELEMENTS` start tags,
    comments and other markup nodes (:data:`_START_TAG`)."""
    if text.count("<") <= MAX_HTML_ELEMENTS:
        return
    n = sum(1 for _ in _START_TAG.finditer(text))
    if n > MAX_HTML_ELEMENTS:
        raise ReadError("ING004", f"HTML page of {n:,} elements is over the {MAX_HTML_ELEMENTS:,}-element "
                                  "safety limit (a page has a few thousand): not read")


def read_html(data: bytes) -> tuple[str, str]:
    """Visible text of an HTML page (scripts, styles, comments, hidden elements and the site's
    navigation dropped: :func:`_drop_site_chrome`), tables as rows.

    The encoding comes from a ``<meta charset>`` declaration when it names UTF-8 or an East
    Asian encoding (GB2312/GBK read as GB18030) and the bytes decode strictly in it; a declared
    UTF-16 is read as UTF-8 (as browsers do for an ASCII-compatible page); otherwise the bytes
    are detected as for text files (:func:`~.encoding.decode_bytes`), and a declared
    single-byte charset (latin-1, windows-1252…) is used only when detection fails, and not
    for bytes that are GB18030 Chinese with a few invalid sequences
    (:func:`~.encoding.misread_chinese`: refused, instead of read as Latin-1 mojibake).

    Returns ``(text, encoding)``. Raises :class:`ReadError`: ING001 for undecodable bytes,
    ING004 for a page of more than :data:`MAX_HTML_ELEMENTS` start tags.
    """
    import warnings

    from bs4 import BeautifulSoup

    meta = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    declared = meta.group(1).decode("ascii").lower() if meta else None
    if declared in {"gb2312", "gbk", "gb18030", "x-gbk"}:
        declared = "gb18030"
    elif declared in {"utf-16", "utf-16le", "utf-16be", "utf-32"} and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        declared = "utf-8"
    text = enc = None
    if declared in _TRUSTED_META:
        try:
            text, enc = data.decode(declared), declared
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text, enc = decode_bytes(data)
        except ReadError:
            if not declared:
                raise
            misread = misread_chinese(data)
            if misread:
                raise ReadError("ING001", f"page declares charset '{declared}' but {misread}") from None
            try:
                text, enc = data.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                raise ReadError("ING001", f"page declares charset '{declared}' but its bytes do not "
                                          "decode in it nor in UTF-8, GB18030 or UTF-16") from None
    _check_elements(text)
    with warnings.catch_warnings():  # bs4 warns on pages that look like URLs or XML: not for users
        warnings.simplefilter("ignore")
        # lxml's HTML parser closes elements as browsers do (HTML 5 lets </td>, </tr>, </p> be
        # left out); Python's html.parser nests each unclosed cell in the one before, which
        # repeated a table's text cell after cell and grew cubically with the rows
        soup = BeautifulSoup(text, "lxml")
    _keep_foreign_objects(soup)
    for tag in soup(["script", "style", "noscript", "template", "head", "iframe", "svg"]):
        tag.decompose()
    _drop_site_chrome(soup)
    # what a browser does not show (scraped pages keep menus, share dialogs and print-only
    # copies so)
    _drop_hidden(soup, re.search("visibility", text, re.I) is not None)
    # comments are left in the tree: no text is taken from them (removing each one scanned its
    # siblings: 400,000 comments side by side took minutes; session-15 hostile-input test)
    is_text = _text_types(soup)
    # innermost tables first: a nested table becomes text inside its cell of the outer one (so
    # the cells and strings found below are this table's own); tables nested deeper than
    # MAX_HTML_TABLE_NESTING stay as they are, their text part of the cell holding them (each
    # replacement walks up the tree: 4,000 nested tables took 3.6 s, 60,000 hours). A table in
    # no other table stays in the tree and _block_text writes its rows in its place (replacing
    # it scanned its siblings: 50,000 tables side by side took 46 s)
    rows_of: dict[int, str] = {}
    for table in reversed(_tables_to_rows(soup)):
        # text in the table but in no cell: a caption, or a table or form misplaced between rows
        # (browsers show it above the table)
        loose = [t.strip() for t in table.find_all(string=True)
                 if is_text(type(t)) and t.strip() and t.find_parent(["td", "th", "table"]) is table]
        rows = []
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:  # a row of a table left nested
                continue
            cells = [td.get_text(" ", strip=True) for td in tr.find_all(["td", "th"]) if td.find_parent("tr") is tr]
            if any(cells):
                rows.append(table_row(cells))
        text_rows = "\n" + "\n".join(loose + rows) + "\n"
        if table.find_parent("table") is None:
            rows_of[id(table)] = text_rows
        else:
            table.replace_with(text_rows)
    out = _block_text(soup, rows_of)
    out = re.sub(r"[ \t\u3000\xa0]+\n", "\n", out)
    out = _BREADCRUMB.sub("", out)
    return out, enc or "utf-8"


#: A breadcrumb line a site puts above the content (网站首页 | 政务公开 | 年报, 当前位置：首页 >
#: 政务公开 > …): it held the place of the report's title, and a year in it could be taken for
#: the report's. A line that starts with the position label (当前位置：…) or with the home page
#: (首页, 网站首页) followed by a separator, of short segments, at most 80 characters.
_CRUMB_SEP = ">|»＞›/"
_CRUMB_TEXT = f"[^\\n{_CRUMB_SEP}，。；]"  # a segment's characters: no separator, no sentence mark
_BREADCRUMB = re.compile(
    rf"(?m)^[ \t\u3000]*(?=[^\n]{{0,80}}$)"
    rf"(?:(?:当前位置|您的位置|您现在的位置|您所在的位置|所在位置)[:：][^\n]*"
    rf"|{_CRUMB_TEXT}{{0,6}}(?:首页|主页)[ \t\u3000]*[{_CRUMB_SEP}](?:{_CRUMB_TEXT}{{1,24}}[{_CRUMB_SEP}]){{0,8}}"
    rf"{_CRUMB_TEXT}{{0,24}})$\n?")


#: Tables nested deeper than this in an HTML page are not turned into rows (page layouts nest
#: a few; tens of thousands are a hostile page).
MAX_HTML_TABLE_NESTING = 12


def _tables_to_rows(soup) -> list:
    """The page's tables in document order, without those nested more than
    :data:`MAX_HTML_TABLE_NESTING` tables deep (each table's depth from its nearest enclosing
    table, found a few levels up)."""
    depth: dict[int, int] = {}  # by id: a bs4 Tag hashes by its whole markup
    kept = []
    for table in soup.find_all("table"):
        outer = table.find_parent("table")
        depth[id(table)] = d = 1 if outer is None else depth.get(id(outer), 0) + 1
        if d <= MAX_HTML_TABLE_NESTING:
            kept.append(table)
    return kept


def _text_types(soup):
    """A test of a string node's type: True for the types ``get_text`` takes text from (the
    soup's string types: no comments, no declarations)."""
    types = soup.interesting_string_types
    if types is None:
        types = soup.MAIN_CONTENT_STRING_TYPES
    return (lambda t: t is types) if isinstance(types, type) else (lambda t: t in types)


def _block_text(soup, rows_of: dict | None = None) -> str:
    """``soup.get_text()`` with a line break before and after each block element
    (:data:`_BLOCK_TAGS`), in one pass over the tree: inserting the breaks into the tree (bs4's
    ``insert_after`` walks to the element's last descendant) made a page of deeply nested
    ``<div>`` quadratic (10,000 levels: 4 s; 100,000: over a minute). Strings count as
    ``get_text`` counts them (:func:`_text_types`). ``rows_of``: ``id(table) -> text`` written
    in place of those tables (and nothing of what they hold)."""
    from bs4 import NavigableString, Tag

    wanted = _text_types(soup)
    rows_of = rows_of or {}
    out: list[str] = []
    open_tags: list = [soup]  # the path from the root to the current element
    skip = None  # a table written as its rows: what it holds is not written

    def close(tag) -> None:
        nonlocal skip
        if tag is skip:
            skip = None
        elif skip is None and tag.name in _BLOCK_TAGS:
            out.append("\n")

    for node in soup.descendants:
        parent = node.parent
        while open_tags[-1] is not parent:  # elements ended before this one
            close(open_tags.pop())
        if isinstance(node, Tag):
            if skip is None:
                rows = rows_of.get(id(node))
                if rows is not None:
                    out.append(rows)
                    skip = node
                elif node.name in _BLOCK_TAGS:
                    out.append("\n")
            open_tags.append(node)
        elif skip is None and isinstance(node, NavigableString) and wanted(type(node)):
            out.append(str(node))
    while len(open_tags) > 1:
        close(open_tags.pop())
    return "".join(out)


def read_pdf(data: bytes, max_chars: int = MAX_PDF_TEXT_CHARS) -> str:
    """Text layer of a PDF, page footers removed and broken lines re-joined. A PDF whose open
    password is empty (permission-restricted: no copying or printing) is read, RC4 or AES.

    ``max_chars``: extraction stops past this many characters (:data:`MAX_PDF_TEXT_CHARS`).

    Raises
    ------
    ReadError
        ING001 for a damaged or password-protected PDF; ING004 over the page limit, the
        content-stream limits of :func:`.pdfcost.check_content_bytes`, :data:`MAX_PDF_OPERATORS`,
        the character budget, :data:`MAX_PDF_PAGE_TEXT_BYTES` on a page, one of pypdf's
        decompression limits, or objects nested past the recursion limit; ING005 when no page
        has a text layer.
    """
    return on_fresh_stack(_read_pdf, data, max_chars)


def on_fresh_stack(fn, *args):
    """``fn(*args)`` run in a new thread (the caller waits): pypdf parses nested objects by
    recursion, and a thread starts at depth 0, so the depth a PDF may reach is the same whoever
    calls (the CLI, a worker process, a notebook cell some 30 frames deeper): one nested 490
    deep was read by some callers and not others (session-15 hostile-input test). Returns what
    ``fn`` returns; raises what it raises."""
    import threading

    out: dict = {}

    def run() -> None:
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            out["error"] = exc

    thread = threading.Thread(target=run, name="summary-analysis-read", daemon=True)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def _read_pdf(data: bytes, max_chars: int) -> str:
    pypdf_log = _pypdf_log()
    if b"%PDF-" not in data[:1024]:
        kind = sniff_binary(data)
        raise ReadError("ING001", "not a PDF: " + (f"the file is {kind} (wrong file extension?)" if kind
                                                    else "no %PDF- header (another format renamed .pdf?)"))
    warned = _Warnings()
    pypdf_log.addHandler(warned)
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ReadError("ING001", "PDF is encrypted with a password: cannot read its text")
        n_pages = len(reader.pages)
        if n_pages > MAX_PDF_PAGES:
            raise ReadError("ING004", f"PDF of {n_pages} pages is over the {MAX_PDF_PAGES}-page safety "
                                      "limit: not read")
        check_content_bytes(reader.pages)
        budget = _TextBudget(max_chars)
        pages = []
        for page in reader.pages:
            budget.new_page()
            done = budget.chars
            pages.append(page.extract_text(visitor_operand_before=budget.operand, visitor_text=budget.text) or "")
            if budget.error is not None:  # raised inside a form, where pypdf caught it
                raise budget.error
            if warned.limit is not None:
                raise ReadError("ING004", f"PDF over a safety limit of the PDF reader (pypdf) in a form "
                                          f"(XObject): not read ({warned.limit[:160]})")
            # the visitor sees most of the text, not every piece (line breaks, spacing)
            budget.chars = done
            budget.add(len(pages[-1]))
    except ReadError:
        raise
    except RecursionError:
        raise ReadError("ING004", "PDF objects nested too deeply to read safely: not read") from None
    except Exception as exc:
        from pypdf.errors import LimitReachedError

        if isinstance(exc, LimitReachedError):  # pypdf's own safety limits (decompression bombs)
            raise ReadError("ING004", f"PDF over a safety limit of the PDF reader (pypdf): "
                                      f"not read ({str(exc)[:160]})") from None
        raise ReadError("ING001", f"cannot read PDF (damaged or truncated file?): {type(exc).__name__}: "
                                  f"{str(exc)[:200]}") from None
    finally:
        pypdf_log.removeHandler(warned)
    if not pages:
        raise ReadError("ING001", "PDF has no pages (its page tree is empty or damaged)")
    if not any(p.strip() for p in pages):
        damaged = [m for m in warned.messages if "decompress" in m.lower() or "decode" in m.lower()]
        if damaged:
            raise ReadError("ING001", f"cannot read PDF: its page content could not be decoded (damaged "
                                      f"stream?): {damaged[0][:160]}")
        raise ReadError("ING005", f"PDF of {len(pages)} page(s) has no text layer (scanned image?): OCR needed")
    return clean_pdf_text(pages)


@lru_cache(maxsize=1)
def _pypdf_log() -> logging.Logger:
    """pypdf's logger, set up once per process: its warnings are collected by :func:`read_pdf`
    (:class:`_Warnings`), never printed, also not by logging's last resort between reads."""
    log = logging.getLogger("pypdf")
    log.setLevel(logging.WARNING)
    log.propagate = False
    log.addHandler(logging.NullHandler())
    return log


class _Warnings(logging.Handler):
    """The messages pypdf logs while one PDF is read (a damaged stream is a warning to pypdf,
    and an empty page to its caller)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        #: pypdf's message when one of its safety limits stopped it inside a form, which it
        #: then left out of the text (a 5 MB form called from a form: 10 s, its text lost
        #: without a word; session-18 hostile test); None while none did.
        self.limit: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            message = record.getMessage()
            if self.limit is None and "XFormObject" in message and "Reached maximum" in message:
                self.limit = message
            if len(self.messages) < 20:
                self.messages.append(message)


def read_file(path: Path, data: bytes, max_unzipped: int = DEFAULT_MAX_UNZIPPED) -> tuple[str, str]:
    """Dispatch on the suffix; returns ``(raw_text, encoding_or_format)``.

    Raises
    ------
    ReadError
        ING002 for unsupported suffixes; see the format readers for the others.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text, enc = read_text_file(data)
        return text, enc
    if suffix == ".docx":
        return read_docx(data, max_unzipped), "docx"
    if suffix in {".html", ".htm"}:
        return read_html(data)
    if suffix == ".pdf":
        return read_pdf(data), "pdf"
    raise ReadError("ING002", f"unsupported file type '{suffix or '(no extension)'}': "
                              f"supported are {', '.join(sorted(SUPPORTED_SUFFIXES))}")
