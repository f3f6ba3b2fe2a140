"""The `registry` context."""

__all__: list[str] = []
