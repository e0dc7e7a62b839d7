"""Commands of this group are registered onto the shared app by ``register``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until this group's commands land."""
