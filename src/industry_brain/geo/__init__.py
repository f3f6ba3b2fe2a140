"""The `geo` context."""

__all__: list[str] = []
