"""The `taxonomy` context."""

__all__: list[str] = []
