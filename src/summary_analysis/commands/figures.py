"""`summary-analysis figures` (to be built with its stage)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the `figures` sub-command (not yet available)."""
