"""`summary-analysis checklist` (to be built with its stage)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the `checklist` sub-command (not yet available)."""
