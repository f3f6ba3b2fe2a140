"""What an import did: :class:`ImportReport`, JSON-ready through :meth:`ImportReport.to_dict`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ImportReport:
    """The outcome of :func:`industry_brain.registry.import_file`.

    Rows: ``rows_read = rows_loaded + rows_quarantined`` always holds (blank lines are not rows).
    ``rows_warned`` are loaded rows with a recorded warning; ``records_loaded`` counts distinct credit codes
    (identical repeats collapse into one record). Versions: ``added/changed/removed/unchanged`` compare with
    ``previous_batch_id``, the newest earlier batch of the same ``source``. ``noop`` means the file was this
    source's newest version already, and nothing was written. ``stage_seconds`` is the time spent in each
    stage; the next chunk is read, validated and placed while the previous one loads, so the stages overlap
    and their sum can exceed ``seconds``. ``classified`` is False for a batch imported with ``classify=False``
    until :func:`~industry_brain.registry.classify_batch` has run on it.
    """

    batch_id: int
    source: str
    file: str
    file_name: str
    sha256: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int | None
    column_map: dict[str, str | None]
    synthetic: bool
    classified: bool = True  # False: loaded with classify=False, fields still to infer (classify_batch)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_warned: int = 0
    records_loaded: int = 0
    duplicates_collapsed: int = 0
    duplicate_conflicts: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    previous_batch_id: int | None = None
    noop: bool = False
    geo: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    warning_reasons: dict[str, int] = field(default_factory=dict)
    duplicate_review: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rows_per_second"] = round(self.rows_per_second, 1)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
