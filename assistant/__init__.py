"""Mingel: a plugin-based assistant for networking events (the core)."""
from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("mingel")
"""Mark a plugin function as the implementation of a Mingel hook."""


def N_(message: str) -> str:
    """Mark a string for translation where it is declared; it is translated when shown."""
    return message


__all__ = ["N_", "__version__", "hookimpl"]
