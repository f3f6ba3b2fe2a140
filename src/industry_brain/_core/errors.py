"""One error tree for the whole product.

Each class carries the HTTP status the web adapter answers with and the exit code the CLI exits with::

    IndustryBrainError (Exception)              http 500  exit 1
    ├── InternalError                           http 500  exit 1   a bug or an environment failure
    ├── InputError (ValueError)                 http 422  exit 2   unusable input: file, row, field, value
    │   └── ParseError                          http 422  exit 2   bytes/text that do not parse
    ├── NotFoundError (LookupError)             http 404  exit 2   no such enterprise, batch, unit, entry
    ├── ConflictError (ValueError)              http 409  exit 2   a submission breaks a rule of the state
    ├── IntegrityError (ValueError)             http 409  exit 3   a log, proof or signature fails to verify
    └── PermissionDeniedError (PermissionError) http 403  exit 4   the role may not do this

Parsers and verifiers raise only these: a malformed input never leaks ``binascii.Error``,
``UnicodeDecodeError`` or ``KeyError`` to a caller.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar


class IndustryBrainError(Exception):
    """Base of every error the product raises on purpose."""

    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON error envelope's ``error`` object."""
        return {"code": self.code, "message": self.message, "details": _jsonable(self.details)}


class InternalError(IndustryBrainError):
    code = "internal"


class InputError(IndustryBrainError, ValueError):
    http_status = 422
    exit_code = 2
    code = "invalid_input"


class ParseError(InputError):
    code = "parse_error"


class NotFoundError(IndustryBrainError, LookupError):
    http_status = 404
    exit_code = 2
    code = "not_found"


class ConflictError(IndustryBrainError, ValueError):
    http_status = 409
    exit_code = 2
    code = "conflict"


class IntegrityError(IndustryBrainError, ValueError):
    http_status = 409
    exit_code = 3
    code = "integrity"


class PermissionDeniedError(IndustryBrainError, PermissionError):
    http_status = 403
    exit_code = 4
    code = "permission_denied"


@contextmanager
def writing(path: str | Path, *also: type[Exception]) -> Iterator[None]:
    """Turn a failure to write ``path`` (no permission, a full disk, a directory where a file should be; ``also``
    adds a library's own write errors) into an :class:`InputError` that names the file and the reason."""
    caught: tuple[type[Exception], ...] = (OSError, *also)
    try:
        yield
    except caught as exc:
        raise InputError(f"cannot write {str(path)!r}: {write_failure(exc)}", path=str(path)) from exc


def write_failure(exc: BaseException) -> str:
    """The reason of a failed write, from the operating system's error wherever it sits in the exception's chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return str(exc)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
