"""Settings, read once from ``IB_*`` environment variables (or a ``.env`` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of industry-brain. Each field is documented; a test fails when one is not."""

    model_config = SettingsConfigDict(env_prefix="IB_", env_file=".env", extra="ignore")

    home: Path = Field(
        default=Path("var"),
        description="Folder for the product's state: the DuckDB file, ledger logs, exports. Created on first use.",
    )
    db_path: Path | None = Field(
        default=None,
        description="The DuckDB file; default <home>/industry_brain.duckdb.",
    )
    lang: Literal["zh-CN", "en"] = Field(
        default="zh-CN", description="Language of messages, pages and reports: zh-CN (default) or en."
    )
    log_level: str = Field(default="WARNING", description="Level of the CLI's log output (DEBUG, INFO, WARNING, ERROR).")
    demo: bool = Field(
        default=False,
        description="Demo mode: the dashboard runs read-only without login (set by `make demo`).",
    )
    max_upload_mb: int = Field(default=50, description="Largest file, in MiB, that the dashboard accepts for import.")
    secret_key: str | None = Field(
        default=None,
        description="Key that signs session cookies; generated and kept in <home>/secret.key when unset.",
    )

    @property
    def database(self) -> Path:
        """Where the DuckDB file lives."""
        return self.db_path if self.db_path is not None else self.home / "industry_brain.duckdb"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (cached; tests call ``get_settings.cache_clear()`` after changing the environment)."""
    return Settings()
