"""`summary-analysis compare` (to be built with its stage)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the `compare` sub-command (not yet available)."""
