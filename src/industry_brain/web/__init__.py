"""The dashboard and JSON API (FastAPI): the only package that imports FastAPI.

``create_app(settings=None)`` builds the application; ``ib serve`` runs it with uvicorn. Every page and every
``/api/v1`` endpoint is a thin call into a context (registry, atlas, talent, patents, accounts).
"""

from industry_brain.web._app import create_app

__all__ = ["create_app"]
