"""`summary-analysis index`: manage the reference library checked by ``check --index FILE``.

``index add DIR... [--index FILE] [--prefix P]`` stores every report found under DIR (same input
rules as ``check``; doc_ids relative to DIR, ``#N`` for split compilation pages, each preceded by
``P`` when given, e.g. ``--prefix 2023/`` for last year's folder); re-adding a document with the
same text changes nothing, and a new text of the same file replaces the stored one; a text
already stored under another id (the folder added again under another prefix) is not stored
again, and said so. Paths are stored absolute. Nothing is stored, exit 2, when two documents of the call would get the same
id (two folders holding the same file names), or when a document would replace a stored one
read from another file (last year's folder added again without its prefix), unless
``--replace``: a library of several years is not overwritten unnoticed. ``index list`` prints
the stored ids; ``index remove ID...`` removes documents (an id ending in ``/`` or ``#``
removes everything under it). Without ``--index`` the default file in the user cache directory
is used. Exit status 0, or 2 on errors (missing index for list/remove, nothing readable to add,
ids that clash).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace

from ..report.text import counted, cut_to

#: Display columns of a title in `index list` (the JSON listing gives it whole).
TITLE_COLUMNS = 80


def register(subparsers) -> None:
    """Add the ``index`` sub-command (``add``, ``list``, ``remove``) and set its ``func``."""
    p = subparsers.add_parser("index", help="manage the reference library (DUP003): add, list, remove")
    sub = p.add_subparsers(dest="index_command", metavar="{add,list,remove}")
    pa = sub.add_parser("add", help="store reference documents (idempotent)")
    pa.add_argument("paths", nargs="+", metavar="DIR", help="folders or files of reference documents")
    pa.add_argument("--prefix", default="", metavar="P",
                    help="put P before every id (e.g. 2023/ for last year's folder, so same-named "
                         "files of several years are kept apart)")
    pa.add_argument("--replace", action="store_true",
                    help="let a document replace a stored one of the same id read from another file")
    pl = sub.add_parser("list", help="list stored reference documents")
    pl.add_argument("--format", choices=["text", "json"], default="text")
    pr = sub.add_parser("remove", help="remove stored documents by id (prefix ending in / or #)")
    pr.add_argument("ids", nargs="+", metavar="ID")
    for q in (pa, pl, pr):
        q.add_argument("--index", metavar="FILE", help="index file (default: in the user cache dir)")
    p.add_argument("--index", metavar="FILE", dest="index_top", help=None)
    p.set_defaults(func=run)


def _title(document) -> str:
    """The title check shows for ``document`` (the structure stage's, which skips a heading such
    as 正文 above it), else the reader's."""
    from ..sections import document_meta, sections

    try:
        return document_meta(document, sections(document)).title or document.title
    except Exception:  # noqa: BLE001 - a title is only a label; the reader's will do
        return document.title


def _clashes(docs) -> list[tuple[str, list[str]]]:
    """``(id, paths)`` for every id that two or more of ``docs`` share, sorted by id."""
    paths: dict[str, list[str]] = {}
    for d in docs:
        paths.setdefault(d.doc_id, []).append(d.path)
    return sorted((rid, ps) for rid, ps in paths.items() if len(ps) > 1)


def _other_files(idx, docs) -> list[tuple[str, str, str]]:
    """``(id, stored path, new path)`` for each of ``docs`` whose id is stored with another
    text read from another file (paths compared resolved; a stored relative path, from an
    older version, as resolved from here)."""
    from ..similarity.index import digest

    stored = idx.stored([d.doc_id for d in docs])
    out = []
    for d in docs:
        if d.doc_id in stored:
            old, dg = stored[d.doc_id]
            if dg != digest(d.text) and os.path.realpath(old) != os.path.realpath(d.path):
                out.append((d.doc_id, old, d.path))
    return out


def run(args) -> int:
    """Run the index sub-command; returns the exit status."""
    from ..similarity.index import ReferenceIndex

    cmd = getattr(args, "index_command", None)
    path = getattr(args, "index", None) or getattr(args, "index_top", None)
    if cmd is None:
        print("summary-analysis index: choose add, list or remove", file=sys.stderr)
        return 2
    if cmd == "add":
        from . import read_inputs

        read = read_inputs(args.paths, "index add")
        if read is None:
            return 2
        bad = [c for c in args.prefix if not c.isprintable()]
        if bad:
            print(f"summary-analysis index add: --prefix {args.prefix!r} holds a control character",
                  file=sys.stderr)
            return 2
        docs = [replace(d, doc_id=args.prefix + d.doc_id, path=os.path.abspath(d.path), title=_title(d))
                for d in read.documents]
        clashes = _clashes(docs)
        for ref_id, paths in clashes:
            print(f"summary-analysis index add: two documents would be stored as {ref_id!r}: "
                  f"{' and '.join(paths)}", file=sys.stderr)
        if clashes:
            print("summary-analysis index add: nothing stored; give each folder its own --prefix "
                  "(e.g. --prefix 2023/)", file=sys.stderr)
            return 2
        with ReferenceIndex(path, create=True) as idx:
            others = [] if args.replace else _other_files(idx, docs)
            for ref_id, old, new in others:
                print(f"summary-analysis index add: {ref_id!r} is stored from {old}; {new} would "
                      "replace it", file=sys.stderr)
            if others:
                print("summary-analysis index add: nothing stored; give each folder its own --prefix "
                      "(e.g. --prefix 2023/), or --replace to replace", file=sys.stderr)
                return 2
            same: dict[str, str] = {}
            c = idx.add(docs, not_stored=same)
            total = len(idx)
            where = idx.path
        for ref_id, stored in same.items():
            print(f"summary-analysis index add: {ref_id!r} not stored: the same text is stored as {stored!r}",
                  file=sys.stderr)
        kept_out = f", {c['same_text']} not stored (same text as a stored document)" if c["same_text"] else ""
        print(f"{c['added']} added, {c['replaced']} replaced, {c['unchanged']} unchanged{kept_out}; "
              f"{counted(total, 'document')} in {where}")
        if path is None:
            print(f"summary-analysis index add: this is the default library; check against it with "
                  f"summary-analysis check --index {where}", file=sys.stderr)
        return 0
    try:
        idx = ReferenceIndex(path, create=False)
    except (FileNotFoundError, ValueError) as exc:
        print(f"summary-analysis index {cmd}: {exc}", file=sys.stderr)
        return 2
    with idx:
        if cmd == "list":
            rows = idx.list()
            if args.format == "json":
                sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
            else:
                for r in rows:  # a title read from a file without a title line can be long
                    print(f"{r['ref_id']}\t{r['chars']}\t{cut_to(r['title'] or '', TITLE_COLUMNS)}")
                print(f"{counted(len(rows), 'document')} in {idx.path}", file=sys.stderr)
            return 0
        stored = [r["ref_id"] for r in idx.list()]
        unknown = [rid for rid in args.ids
                   if not any(s == rid or (rid.endswith(("/", "#")) and s.startswith(rid)) for s in stored)]
        n = idx.remove(args.ids)
        print(f"{n} removed; {counted(len(idx), 'document')} in {idx.path}")
        for rid in unknown:  # as rm does for a missing file: said, and exit 1
            parts = sorted(s for s in stored if s.startswith(rid + "#"))
            hint = (f" (a compiled page's documents are stored as {parts[0]!r}…; give one, or {rid + '#'!r} "
                    "for all)" if parts else "")
            print(f"summary-analysis index remove: no document {rid!r} in {idx.path}{hint}", file=sys.stderr)
        return 1 if unknown else 0
