"""industry-brain: an open-source industry brain (产业大脑) for a city's science & technology bureau.

The library is usable without its adapters: each bounded context (``geo``, ``taxonomy``, ``registry``,
``atlas``, ``talent``, ``ledger``, ``patents``) exposes its public API in its ``__init__``; the
``cli`` (Typer) and ``web`` (FastAPI) packages are thin shells over them.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
