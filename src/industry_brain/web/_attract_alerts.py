"""Investment attraction on the dashboard and under ``/api/v1/attract``."""

from __future__ import annotations

from fastapi import APIRouter

api = APIRouter(prefix="/api/v1/attract", tags=["attract"])
pages = APIRouter(include_in_schema=False)
