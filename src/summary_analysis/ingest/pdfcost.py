"""What reading a PDF's text will cost, decided before any page is parsed.

pypdf parses a page's content stream operator by operator (about 0.6 MB, 100,000 operators, a
second on these machines) and parses it again for every page that draws it. A content stream
of path operators shared by all the pages of a 2,000-page file makes a PDF of a few KB that
takes hours to read (session-17 hostile-input test: 1.5 MB of ``m`` operators, 2.5 s a page).
:func:`check_content_bytes` adds up, page by page, the decoded bytes of what each page draws (its
``/Contents`` and the Form XObjects its content calls with ``Do``), every stream decoded once
however many pages share it, and refuses the file (ING004) past the limits below, before the
first page is parsed. Forms that other forms call are not followed: the operator budget of
:func:`summary_analysis.ingest.readers.read_pdf` bounds those.
"""

from __future__ import annotations

import re

from .errors import ReadError

#: Most decoded content-stream bytes one page may draw; a page of text from a word processor
#: has 10 to 40 KB (the Huai'an report's six pages: 12 to 35 KB).
MAX_PDF_PAGE_CONTENT_BYTES = 8 * 1024 * 1024

#: Most decoded content-stream bytes of a whole PDF, counted once per page that draws them:
#: under a minute of parsing (0.6 MB/s for dense path operators); an annual report of 100 pages
#: has a few MB.
MAX_PDF_CONTENT_BYTES = 32 * 1024 * 1024

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


def check_content_bytes(pages) -> int:
    """Raise :class:`ReadError` (ING004) when the pages draw more than
    :data:`MAX_PDF_PAGE_CONTENT_BYTES` on one page or :data:`MAX_PDF_CONTENT_BYTES` in all.

    Parameters
    ----------
    pages : sequence of pypdf.PageObject
        The reader's pages.

    Returns
    -------
    int
        Decoded content bytes the pages draw in all (a stream drawn by k pages counts k times).

    Raises
    ------
    ReadError
        ING004 over a limit. pypdf's own errors (a damaged stream, its decompression limits)
        pass through to the caller, which reports them as it does for extraction.
    """
    streams: dict = {}
    total = 0
    for number, page in enumerate(pages, start=1):
        size, names = 0, set()
        for stream in _content_streams(page.get("/Contents")):
            n, calls = _decoded(stream, streams)
            size += n
            names |= calls
        size += _forms_called(page, names, streams)
        if size > MAX_PDF_PAGE_CONTENT_BYTES:
            raise ReadError("ING004", f"PDF page {number} draws {_mb(size)} MB of content operators (a page "
                                      f"of text has tens of KB; limit {_mb(MAX_PDF_PAGE_CONTENT_BYTES)} MB): "
                                      "not read")
        total += size
        if total > MAX_PDF_CONTENT_BYTES:
            raise ReadError("ING004", f"PDF pages draw over {_mb(MAX_PDF_CONTENT_BYTES)} MB of content operators "
                                      f"by page {number} (one stream drawn by many pages?): not read")
    return total


def _mb(n: int) -> str:
    return f"{n / 1048576:.3g}"


def _content_streams(contents) -> list:
    """The stream objects of a page's ``/Contents`` (one stream or an array of them), unresolved
    references kept so that :func:`_decoded` can key its cache by object number."""
    if contents is None:
        return []
    obj = contents.get_object()
    if isinstance(obj, list):
        return [item for item in obj if item is not None]
    return [contents]


def _key(ref) -> object:
    idnum = getattr(ref, "idnum", None)
    return ("ref", idnum, getattr(ref, "generation", 0)) if idnum is not None else ("obj", id(ref))


def _decoded(ref, streams: dict) -> tuple[int, frozenset]:
    """Decoded size of one stream and the XObject names its ``Do`` operators call, computed once
    per stream object (``streams`` is the cache)."""
    key = _key(ref)
    if key not in streams:
        obj = ref.get_object()
        data = obj.get_data() if hasattr(obj, "get_data") else b""
        streams[key] = (len(data), frozenset(m.group(1).decode("latin-1") for m in _DO.finditer(data)))
    return streams[key]


def _inherited(node, key: str, depth: int = 32):
    """``node[key]`` resolved, or the nearest ``/Parent``'s (a page tree at most ``depth`` deep),
    or None."""
    for _ in range(depth):
        if not isinstance(node, dict):
            return None
        value = node.get(key)
        if value is not None:
            return value.get_object()
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _forms_called(page, names: set, streams: dict) -> int:
    """Decoded bytes of the Form XObjects among ``names`` in the page's resources (its own or
    inherited from the page tree)."""
    if not names:
        return 0
    resources = _inherited(page, "/Resources")
    xobjects = resources.get("/XObject") if isinstance(resources, dict) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, dict):
        return 0
    size = 0
    for name in sorted(names):
        ref = xobjects.get("/" + name)
        obj = ref.get_object() if ref is not None else None
        if isinstance(obj, dict) and obj.get("/Subtype") == "/Form":
            size += _decoded(ref, streams)[0]
    return size
