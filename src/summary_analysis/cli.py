"""The ``summary-analysis`` command line.

``check [PATH...]`` runs the whole pipeline and reports like a linter; the exit status is 1 when
a finding at or above ``--fail-on`` was raised, 0 otherwise, 2 for usage or fatal errors
(``docs/output-contract.md``). Other sub-commands inspect one file or manage the reference index.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from . import __version__
from .rules import RULES, SEVERITY_ORDER, get_rule, matches

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

FORMATS = ["text", "json", "csv", "xlsx", "html", "parquet"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a message, never a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _codes(value: str) -> list[str]:
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    if not codes:  # --select '' would silently select nothing
        raise argparse.ArgumentTypeError("no rule code or family given (e.g. DUP,REW002)")
    for c in codes:
        if not any(code.startswith(c) for code in RULES):
            raise argparse.ArgumentTypeError(f"unknown rule code or family '{c}'")
    return codes


#: Largest --max-file-mb accepted (1 TB): larger values only overflowed the byte count.
MAX_FILE_MB_OPTION = 1_000_000


def _megabytes(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: '{value}'") from None
    if not 0 < mb <= MAX_FILE_MB_OPTION:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"the limit must be a positive number of megabytes up to "
                                         f"{MAX_FILE_MB_OPTION:,}, not {value}")
    return mb


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of processes: '{value}'") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"the number of processes cannot be negative ({n}); 0 means one per CPU")
    return n


def add_analysis_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every sub-command that runs the pipeline."""
    p.add_argument("--checklist", default="auto",
                   help="auto (by document kind and year), a shipped checklist name, or a TOML file")
    p.add_argument("--max-file-mb", type=_megabytes, default=None, metavar="MB",
                   help="refuse files larger than this without reading them (ING004); a .docx may "
                        "expand to 10x this when unzipped (zip-bomb guard); default 20")


def build_parser() -> argparse.ArgumentParser:
    """The ``summary-analysis`` argument parser with every sub-command registered."""
    parser = _Parser(prog="summary-analysis",
                     description="Check Chinese work summaries and government-information-disclosure "
                                 "annual reports for copying, machine rewriting, unfilled templates, "
                                 "inconsistent figures and missing sections.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("check", help="check a batch of reports (default input: ./corpus)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check (txt, docx, html, pdf; folders are walked); "
                        "default: ./corpus")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="report format (default text); csv: the findings table, or one file per "
                        "table when --out is a folder (ends with /); xlsx and html need --out; "
                        "parquet needs --engine spark")
    p.add_argument("--out", metavar="FILE",
                   help="write the report here instead of standard output (- is standard output)")
    p.add_argument("--select", type=_codes, default=None, metavar="CODES",
                   help="only these rule codes or families (e.g. DUP,REW002); ING findings (files "
                        "that could not be read) are always kept unless --ignore names them")
    p.add_argument("--ignore", type=_codes, default=None, metavar="CODES",
                   help="drop these rule codes or families")
    p.add_argument("--fail-on", choices=["error", "warning", "never"], default="warning",
                   help="exit 1 when a finding of this severity or above is left after "
                        "--select/--ignore (default warning); never: exit 0 whatever is found")
    p.add_argument("--index", metavar="FILE", help="also check against this reference index (DUP003)")
    p.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                   help="processes for per-document stages (0: one per CPU; at most twice the "
                        "number of CPUs, larger values are lowered with a note); output is the same")
    p.add_argument("--segmenter", choices=["jieba", "fast"], default=None,
                   help="word segmentation engine: jieba (reference) or fast (rjieba, same tokens; "
                        "pip install summary-analysis[fast]); default: $SUMMARY_ANALYSIS_SEGMENTER or jieba")
    p.add_argument("--engine", choices=["local", "spark"], default="local",
                   help="local (default): this machine's processes; spark: a Spark cluster for "
                        "very large batches (pip install summary-analysis[spark])")
    p.add_argument("--master", default="local[2]", help="Spark master (with --engine spark)")
    p.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting for the session (repeatable), e.g. spark.driver.memory=8g: "
                        "in local mode the default 2g ran out of memory on 100k reports")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="zh: Chinese messages in text/csv/xlsx/html, Chinese column headers in "
                        "csv/xlsx/html and sheet names in xlsx (json stays as the output contract)")
    add_analysis_options(p)

    p = sub.add_parser("rule", help="explain a rule code")
    p.add_argument("code", nargs="?", help="e.g. DUP001; all rules when omitted")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the explanation (zh: 中文)")

    from .commands import register_all

    register_all(sub)
    return parser


def _select(findings, select, ignore):
    """Findings kept by ``--select``/``--ignore``; ING findings (a file that could not be read)
    pass ``--select`` always, so a refused file is never hidden unless ``--ignore`` names it."""
    out = []
    for f in findings:
        if select and not matches(f.rule, select) and not f.rule.startswith("ING"):
            continue
        if ignore and matches(f.rule, ignore):
            continue
        out.append(f)
    return out


def _exit_status(findings, fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_ORDER[fail_on]
    return EXIT_FINDINGS if any(SEVERITY_ORDER[f.severity] >= threshold for f in findings) else EXIT_OK


def run_analysis(paths: list[str], args) -> "object":
    """Run :func:`summary_analysis.analyze` with the CLI's options; returns the Batch."""
    from .forkserver import start_early

    # with worker processes: their forkserver starts importing the stages while this process does
    start_early(paths if len(paths) != 1 else paths[0], getattr(args, "jobs", 1),
                getattr(args, "segmenter", None))
    from .ingest import DEFAULT_MAX_FILE_MB
    from .pipeline import analyze

    kwargs = {"checklist": args.checklist,
              "max_file_mb": args.max_file_mb if args.max_file_mb else DEFAULT_MAX_FILE_MB,
              "progress": True}
    if getattr(args, "index", None):
        from .similarity.index import ReferenceIndex

        kwargs["index"] = ReferenceIndex(args.index, create=False)
    if getattr(args, "jobs", 1) != 1:
        kwargs["jobs"] = args.jobs
    if getattr(args, "segmenter", None):
        kwargs["segmenter"] = args.segmenter
    return analyze(paths, **kwargs)


def _usage(message: str) -> int:
    print(f"summary-analysis check: {message}", file=sys.stderr)
    return EXIT_USAGE


def _validate_check(args) -> str | None:
    """Check the options of ``check`` before any file is read; the usage message, or None."""
    if any(not str(p).strip() for p in args.paths):
        return "empty PATH: give a file or folder name"
    if args.paths and not any(os.path.lexists(p) for p in args.paths):  # a mistyped name: usage
        from .ingest.walk import safe_name  # escaped as in the reports: an ANSI sequence was written raw

        return f"no such file or folder: {', '.join(safe_name(str(p)) for p in args.paths)}"
    if args.out == "-":  # as many tools read it: standard output
        if args.format in ("xlsx", "html", "parquet"):
            return f"--out -: --format {args.format} writes a file; give --out FILE"
        args.out = None
    for option, value in (("--out", args.out), ("--index", getattr(args, "index", None))):
        if value is not None and not str(value).strip():  # '' was ignored: stdout, no index
            return f"empty {option}: give a file name"
    if args.out:
        out = Path(args.out)
        folder_like = out.is_dir() or str(args.out).endswith(("/", os.sep))
        if folder_like and args.format not in ("csv", "parquet"):
            # a path ending in / was written as a file of that name
            return (f"--out '{args.out}' is a folder; --format {args.format} writes one file "
                    "(a folder is for csv, and for parquet with --engine spark)")
        if args.format == "parquet" and out.exists() and not out.is_dir():
            # found by the session-22 fresh-user test: refused by Hadoop after the whole analysis
            return f"--out '{args.out}' is a file; --format parquet writes a folder of tables"
        parent = out if (args.format == "csv" and str(args.out).endswith(("/", os.sep))) else out.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            return f"cannot create the folder for --out '{args.out}': a file of that name is in the way"
        except OSError as exc:
            return f"cannot create the folder for --out '{args.out}': {exc.strerror or exc}"
    if args.checklist != "auto":
        from .checklist import load_checklist

        try:
            load_checklist(args.checklist)
        except Exception as exc:  # ChecklistError, OSError, TOML errors: a plain message
            return f"--checklist {args.checklist}: {exc}"
    from .segment import resolve_backend

    try:
        resolve_backend(args.segmenter)
    except ValueError as exc:
        return f"{exc} (from --segmenter or $SUMMARY_ANALYSIS_SEGMENTER)"
    cap = 2 * (os.cpu_count() or 1)
    if args.jobs > cap:
        print(f"summary-analysis check: note: --jobs {args.jobs} lowered to {cap} (twice the CPUs)",
              file=sys.stderr)
        args.jobs = cap
    return None


def _out_clash(paths: list, args) -> str | None:
    """Why ``--out`` must not be written, or None: it names the ``--index`` or ``--checklist``
    file of the run, or an existing file that ``check paths`` finds among its inputs and that is
    not a report of this tool's (which may be overwritten). Writing there would destroy it."""
    from .ingest.walk import discover, is_own_report, same_file

    if not args.out:
        return None
    target = Path(args.out)
    if not target.exists() or target.is_dir():
        return None
    for option, value in (("--index", getattr(args, "index", None)), ("--checklist", args.checklist)):
        if value and Path(value).exists() and same_file(Path(value), target):
            return f"is the {option} file of this run"
    if is_own_report(target):
        return None
    files, _, _ = discover(paths)
    if any(same_file(f.path, target) for f in files):
        return "is a file among the inputs that this tool did not write"
    return None


def cmd_check(args) -> int:
    """``summary-analysis check``: analyse the paths, write the report; returns the exit status
    (0 clean, 1 findings at or above ``--fail-on``, 2 usage or fatal error)."""
    paths = args.paths
    problem = _validate_check(args)
    if problem:
        return _usage(problem)
    if not paths:
        if Path("corpus").is_dir():
            paths = ["corpus"]
        else:
            print("summary-analysis check: no PATH given and no ./corpus folder here", file=sys.stderr)
            return EXIT_USAGE
    clash = _out_clash(paths, args)
    if clash:
        print(f"summary-analysis check: --out {args.out} {clash}: writing the report there would "
              f"overwrite it; give another --out path", file=sys.stderr)
        return EXIT_USAGE
    if args.engine == "spark":
        from .spark_entry import run_spark

        return run_spark(paths, args)
    if getattr(args, "spark_conf", None) or getattr(args, "master", "local[2]") != "local[2]":
        print("summary-analysis check: note: --master and --spark-conf only apply with --engine spark",
              file=sys.stderr)
    from .ingest.walk import OWN_OUTPUT, RUN_CHECKLIST, RUN_INDEX, excluding

    # never read the run's own files as submissions: its --out report (written before, inside a
    # checked folder), its checklist and its reference index
    own = {args.out: OWN_OUTPUT, getattr(args, "index", None): RUN_INDEX}
    if args.checklist and os.path.isfile(args.checklist):
        own[args.checklist] = RUN_CHECKLIST
    with excluding({path: reason for path, reason in own.items() if path}):
        batch = run_analysis(paths, args)
    findings = _select(batch.finding_objects, args.select, args.ignore)
    if args.select or args.ignore:
        batch.finding_objects = findings
    fmt = args.format
    out = args.out
    if fmt == "text":
        from .report import render_text

        _emit(render_text(batch, findings, lang=args.lang), out)
    elif fmt == "json":
        from .report import render_json

        _emit(render_json(batch), out)
    elif fmt == "csv":
        from .report import write_csv
        from .report.labels import csv_headers

        text = write_csv(batch, out, csv_headers(args.lang), lang=args.lang)
        if text is not None:
            _emit(text, None)
    elif fmt in ("xlsx", "html"):
        if not out:
            print(f"summary-analysis check: --format {fmt} needs --out FILE", file=sys.stderr)
            return EXIT_USAGE
        from . import report

        writer = getattr(report, f"write_{fmt}", None)
        if writer is None:
            print(f"summary-analysis check: --format {fmt} is not available in this build", file=sys.stderr)
            return EXIT_USAGE
        writer(batch, out, lang=args.lang)
    elif fmt == "parquet":
        print("summary-analysis check: --format parquet needs --engine spark", file=sys.stderr)
        return EXIT_USAGE
    if (fmt != "text" or out) and sys.stderr.isatty():  # the report went elsewhere: say what it holds
        c = batch.counts()
        from .report.text import counted

        print(f"{counted(c['files_found'], 'file')} found: {c['files_read']} read, {c['files_refused']} refused, "
              f"{c['skipped']} skipped; {counted(len(findings), 'finding')}"
              + (f"; report written to {out}" if out else ""), file=sys.stderr)
    return _exit_status(findings, args.fail_on)


def _emit(text: str, out: str | None) -> None:
    if out:
        from .report.files import write_text

        write_text(out, text)
    else:
        sys.stdout.write(text)


def cmd_rule(args) -> int:
    """``summary-analysis rule [CODE] [--lang zh]``: print the rule registry's explanation(s), in
    English or Chinese; exit status."""
    codes = [args.code] if args.code else sorted(RULES)
    for code in codes:
        try:
            r = get_rule(code)
        except KeyError:
            print(f"summary-analysis rule: unknown rule '{code}'", file=sys.stderr)
            return EXIT_USAGE
        if getattr(args, "lang", "en") == "zh":
            from .report.messages_zh import RULE_EXPLANATION_ZH, RULE_ZH, severity_label

            print(f"{r.code} {r.name} [{severity_label(r.severity, 'zh')}]：{RULE_ZH[r.code]}")
            explanation = RULE_EXPLANATION_ZH[r.code]
        else:
            print(f"{r.code} {r.name} [{r.severity}]: {r.summary}")
            explanation = r.explanation
        if args.code:
            print()
            print(explanation)
    return EXIT_OK


#: Exit status of an interrupted run (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


class Terminated(KeyboardInterrupt):
    """Raised in the console script by SIGTERM or SIGHUP (:func:`run`): a subclass of
    KeyboardInterrupt, so the run stops the way Ctrl-C stops it (worker processes terminated,
    no half-written report), then exits 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame) -> None:
    raise Terminated(signum)


def interrupted(exc: BaseException | None = None) -> int:
    """Say on stderr that the run was interrupted (Ctrl-C) or terminated (SIGTERM/SIGHUP, a
    :class:`Terminated` ``exc``); returns :data:`EXIT_INTERRUPTED`, or 128 + the signal's number."""
    if isinstance(exc, Terminated):
        print("summary-analysis: terminated", file=sys.stderr)
        return 128 + exc.signum
    print("summary-analysis: interrupted", file=sys.stderr)
    return EXIT_INTERRUPTED


class _ClosedOutput:
    """Stands for a standard output the process was started without: writing to it raises
    the OSError the command line reports in one line (print() to None would drop the report
    silently, and sys.stdout.write raised AttributeError)."""

    def write(self, text: str) -> int:
        raise OSError(9, "standard output is closed: write the report to a file with --out FILE")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _SafeErrors:
    """Standard error with every message passed through
    :func:`~summary_analysis.ingest.walk.safe_message`: a name the user gave (a file, a
    ``PAGE#N``, a rule code) quoted in an error cannot send escape sequences to the terminal
    (session-16 hostile-input test: ``compare`` and ``--checklist`` messages did)."""

    def __init__(self, stream) -> None:
        from .ingest.walk import safe_message

        self._stream = stream
        self._safe = safe_message

    def write(self, text: str) -> int:
        return self._stream.write(self._safe(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    """Run one command line (``argv``, default ``sys.argv[1:]``); returns the exit status: 0,
    1 (findings at or above ``--fail-on``), 2 (usage or fatal error), 130 (interrupted).
    Messages on standard error are made safe for a terminal (:class:`_SafeErrors`)."""
    errors = sys.stderr
    if errors is not None and not isinstance(errors, _SafeErrors):
        sys.stderr = _SafeErrors(errors)
    try:
        return _main(argv)
    finally:
        if sys.stderr is not errors and isinstance(sys.stderr, _SafeErrors):
            sys.stderr = errors


def _main(argv: list[str] | None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if sys.stdout is None:  # started with standard output closed (>&-): Python leaves None
        sys.stdout = _ClosedOutput()
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rule":
            return cmd_rule(args)
        return args.func(args)
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a clear one-line error, never a traceback
        logging.getLogger(__name__).debug("fatal", exc_info=True)
        from .similarity.index import IndexFileError

        if isinstance(exc, OSError):  # a file or folder the command could not read or write
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"summary-analysis: error: {where}{exc.strerror or exc}", file=sys.stderr)
        elif isinstance(exc, IndexFileError):  # its message names the file and the reason
            print(f"summary-analysis: error: {exc}", file=sys.stderr)
        else:  # last resort
            print(f"summary-analysis: fatal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("SUMMARY_ANALYSIS_DEBUG"):
            raise
        return EXIT_USAGE


def run() -> None:
    """The ``summary-analysis`` console script (called by :mod:`summary_analysis._console`):
    :func:`main`, then exit with its status.

    SIGTERM and SIGHUP (unless ignored, as under nohup) stop the run as Ctrl-C does
    (:class:`Terminated`): by default they would end this process at once and leave its
    ``--jobs`` worker processes running for good. Once the command has finished (its report
    written), these signals and Ctrl-C are ignored: interrupted while the interpreter shuts
    down (freeing the batch, joining worker processes), Python would print tracebacks of
    objects being freed and change the exit status.
    """
    stops = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    for signum in stops:
        try:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _terminate)
        except (ValueError, OSError):
            pass
    try:
        status = main()
    except KeyboardInterrupt as exc:
        status = interrupted(exc)
    for signum in [signal.SIGINT] + stops:
        try:
            signal.signal(signum, signal.SIG_IGN)
        except (ValueError, OSError):
            pass
    sys.exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
