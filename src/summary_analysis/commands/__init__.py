"""Inspection sub-commands; each module's ``register(subparsers)`` adds its parser and sets
``func`` (called with the parsed args, returns the exit status)."""

from __future__ import annotations

from importlib import import_module

#: Sub-command modules, in help order.
MODULES = ["sections", "figures", "checklist", "compare", "index"]


def register_all(subparsers) -> None:
    """Add every sub-command of :data:`MODULES` to ``subparsers``."""
    for name in MODULES:
        import_module(f"{__name__}.{name}").register(subparsers)
