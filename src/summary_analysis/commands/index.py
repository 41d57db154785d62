"""`summary-analysis index` (to be built with its stage)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the `index` sub-command (not yet available)."""
