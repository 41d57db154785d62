"""What reading a PDF's text will cost, decided before any page is parsed.

pypdf parses a page's content stream operator by operator (about 0.6 MB, 100,000 operators, a
second on these machines) and parses it again for every page that draws it. A content stream
of path operators shared by all the pages of a 2,000-page file makes a PDF of a few KB that
takes hours to read (session-17 hostile-input test: 1.5 MB of ``m`` operators, 2.5 s a page).
:func:`check_content_bytes` adds up, page by page, the decoded bytes of what each page draws (its
``/Contents`` and the Form XObjects its content calls with ``Do``, once per call: pypdf parses a
form again at every call), every stream decoded once however many pages share it, and refuses
the file (ING004) past the limits below, before the first page is parsed. pypdf also builds
every font of a page's resources (and of a form's, at each call) again, its character map
(``/ToUnicode``) parsed anew: one 65,000-entry map under 20 font names took 11 s a page
(session-18 hostile test); those bytes are added up too. Forms that forms call are followed
:data:`MAX_FORM_DEPTH` deep; the operator budget of
:func:`summary_analysis.ingest.readers.read_pdf` bounds what lies deeper.
"""

from __future__ import annotations

import re
from collections import Counter

from .errors import ReadError

#: Most decoded content-stream bytes one page may draw; a page of text from a word processor
#: has 10 to 40 KB (the Huai'an report's six pages: 12 to 35 KB).
MAX_PDF_PAGE_CONTENT_BYTES = 8 * 1024 * 1024

#: Most decoded content-stream bytes of a whole PDF, counted once per page that draws them:
#: under a minute of parsing (0.6 MB/s for dense path operators); an annual report of 100 pages
#: has a few MB.
MAX_PDF_CONTENT_BYTES = 32 * 1024 * 1024

#: Most decoded bytes of character maps (``/ToUnicode``, an embedded ``/Encoding`` CMap) that
#: pypdf builds for a whole PDF, counted once per page (or form call) whose resources hold the
#: font, once per font name: about 30 s of parsing (1.6 MB/s). A page of subset fonts holds a
#: few maps of a few KB.
MAX_PDF_FONT_MAP_BYTES = 48 * 1024 * 1024

#: Forms within forms followed this deep (pypdf itself stops at recursion; deeper content is
#: bounded by the operator budget of the reader).
MAX_FORM_DEPTH = 8

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")


def check_content_bytes(pages) -> int:
    """Raise :class:`ReadError` (ING004) when the pages draw more than
    :data:`MAX_PDF_PAGE_CONTENT_BYTES` on one page or :data:`MAX_PDF_CONTENT_BYTES` in all, or
    their fonts' character maps come to more than :data:`MAX_PDF_FONT_MAP_BYTES`.

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
    maps: dict = {}
    total = map_total = 0
    for number, page in enumerate(pages, start=1):
        size, calls = 0, Counter()
        for stream in _content_streams(page.get("/Contents")):
            n, called = _decoded(stream, streams)
            size += n
            calls.update(called)
        resources = _inherited(page, "/Resources")
        forms, form_maps = _forms_called(resources, calls, streams, maps)
        size += forms
        if size > MAX_PDF_PAGE_CONTENT_BYTES:
            raise ReadError("ING004", f"PDF page {number} draws {_mb(size)} MB of content operators (a page "
                                      f"of text has tens of KB; limit {_mb(MAX_PDF_PAGE_CONTENT_BYTES)} MB): "
                                      "not read")
        total += size
        if total > MAX_PDF_CONTENT_BYTES:
            raise ReadError("ING004", f"PDF pages draw over {_mb(MAX_PDF_CONTENT_BYTES)} MB of content operators "
                                      f"by page {number} (one stream drawn by many pages?): not read")
        map_total += _font_maps(resources, streams, maps) + form_maps
        if map_total > MAX_PDF_FONT_MAP_BYTES:
            raise ReadError("ING004", f"PDF fonts' character maps come to over {_mb(MAX_PDF_FONT_MAP_BYTES)} MB "
                                      f"by page {number}, each built again for every page and font name that "
                                      "uses it (one large map under many names?): not read")
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


def _decoded(ref, streams: dict) -> tuple[int, Counter]:
    """Decoded size of one stream and how many times its ``Do`` operators call each XObject
    name, computed once per stream object (``streams`` is the cache)."""
    key = _key(ref)
    if key not in streams:
        obj = ref.get_object()
        data = obj.get_data() if hasattr(obj, "get_data") else b""
        streams[key] = (len(data), Counter(m.group(1).decode("latin-1") for m in _DO.finditer(data)))
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


def _forms_called(resources, calls: Counter, streams: dict, maps: dict, depth: int = 0) -> tuple[int, int]:
    """Decoded bytes of the Form XObjects ``calls`` names in ``resources`` (a page's, its own or
    inherited, or a form's), each times its calls, with the forms those forms call (at most
    :data:`MAX_FORM_DEPTH` deep), and the bytes of the character maps of the forms' own fonts,
    built at each call."""
    if not calls or depth >= MAX_FORM_DEPTH:
        return 0, 0
    xobjects = resources.get("/XObject") if isinstance(resources, dict) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, dict):
        return 0, 0
    size = font_maps = 0
    for name in sorted(calls):
        ref = xobjects.get("/" + name)
        obj = ref.get_object() if ref is not None else None
        if isinstance(obj, dict) and obj.get("/Subtype") == "/Form":
            own = obj.get("/Resources")
            own = own.get_object() if own is not None else None
            n, inner_calls = _decoded(ref, streams)
            inner, inner_maps = _forms_called(own, inner_calls, streams, maps, depth + 1)
            size += (n + inner) * calls[name]
            font_maps += (_font_maps(own, streams, maps) + inner_maps) * calls[name]
    return size, font_maps


def _font_maps(resources, streams: dict, maps: dict) -> int:
    """Decoded bytes of the character maps of the fonts in ``resources`` (``/ToUnicode``, and an
    ``/Encoding`` that is a CMap stream), once per font name; computed once per resources
    dictionary (``maps``, keyed by the object: pypdf hands out one object per indirect one)."""
    if not isinstance(resources, dict):
        return 0
    key = id(resources)
    if key not in maps:
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        size = 0
        if isinstance(fonts, dict):
            for ref in fonts.values():
                font = ref.get_object() if ref is not None else None
                if not isinstance(font, dict):
                    continue
                for entry in ("/ToUnicode", "/Encoding"):
                    cmap = font.get(entry)
                    if cmap is not None and hasattr(cmap.get_object(), "get_data"):
                        size += _decoded(cmap, streams)[0]
        maps[key] = (resources, size)  # the object kept: its id stays its own
    return maps[key][1]
