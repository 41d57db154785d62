"""`summary-analysis sections` (to be built with its stage)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the `sections` sub-command (not yet available)."""
