"""Uploads run as background jobs: the file is streamed to disk with a size limit, then imported through
``registry.import_file`` on its own cursor while the page polls for progress."""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from industry_brain._core.errors import IndustryBrainError, InputError, NotFoundError, PermissionDeniedError
from industry_brain.accounts import Account
from industry_brain.web._state import AppState

_ALLOWED_SUFFIXES = {".xlsx", ".csv", ".txt", ".parquet"}
_import_lock = threading.Lock()  # one import at a time: each is one transaction on the register


def _job_view(job: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in job.items() if not k.startswith("_")}


async def start_import(
    state: AppState,
    account: Account,
    upload: UploadFile,
    *,
    source: str | None,
    sheet: str | None,
    limit: int,
) -> dict[str, Any]:
    name = Path(upload.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in _ALLOWED_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix or name!r}: expected .xlsx, .csv or .parquet", file=name
        )
    job_id = secrets.token_hex(8)
    folder = state.settings.home / "uploads" / job_id  # the batch records the file's own name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                folder.rmdir()
                raise InputError(
                    f"file {name!r} is larger than the limit of {limit // (1024 * 1024)} MiB", file=name
                )
            out.write(chunk)
    job: dict[str, Any] = {
        "job_id": job_id,
        "file": name,
        "status": "queued",
        "progress": {"done": 0, "total": None},
        "report": None,
        "error": None,
        "owner": account.username,
        "started": time.time(),
    }
    state.jobs[job_id] = job
    thread = threading.Thread(
        target=_run, args=(state, job, target, name, account, source, sheet), daemon=True
    )
    thread.start()
    return _job_view(job)


def _run(
    state: AppState,
    job: dict[str, Any],
    path: Path,
    name: str,
    account: Account,
    source: str | None,
    sheet: str | None,
) -> None:
    from industry_brain import registry

    def progress(rows: int) -> None:  # called with the rows of each chunk read
        job["progress"] = {"done": job["progress"]["done"] + rows, "total": None}

    with _import_lock:
        job["status"] = "running"
        try:
            with state.store() as store:
                allowed = list(account.districts) if account.role == "district_officer" else None
                report = registry.import_file(
                    path,
                    store=store,
                    sheet=sheet,
                    source=source or Path(name).stem,
                    progress=progress,
                    allowed_units=allowed,
                )
                if not report.noop:  # the watch lists' alerts for the new version; never fails the import
                    from industry_brain.attract import alerts_after_import

                    job["alerts"] = alerts_after_import(store, report.batch_id)
            job["report"] = report.to_dict()
            job["status"] = "done"
        except IndustryBrainError as exc:
            job["status"] = "failed"
            job["error"] = exc.to_dict()
        except Exception as exc:  # reported to the user as an internal error, never swallowed silently
            job["status"] = "failed"
            job["error"] = {
                "code": "internal",
                "message": f"internal error: {type(exc).__name__}: {exc}",
                "details": {},
            }
        finally:
            state.ensure_indexes()
            state.invalidate()
            path.unlink(missing_ok=True)
            path.parent.rmdir()


def get_job(state: AppState, job_id: str, account: Account) -> dict[str, Any]:
    job = state.jobs.get(job_id)
    if job is None:
        raise NotFoundError(f"no import job {job_id!r}", job_id=job_id)
    if job["owner"] != account.username and account.role != "admin":
        raise PermissionDeniedError("this import job belongs to another account")
    return _job_view(job)
