"""Settings from CONTESTFLOW_* environment variables.

One class, read once. Defaults work offline on a fresh clone: the workspace is the repository's
``submissions/`` folder, the database a SQLite file inside it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = REPOSITORY_ROOT / "submissions"
DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONTESTFLOW_", extra="ignore")

    environment: str = Field("development", description="development or production")
    home: Path = Field(DEFAULT_HOME, description="Workspace: database, blobs, packages, outbox")
    database_url: str | None = Field(None, description="SQLAlchemy URL; SQLite in home if unset")
    base_url: str = Field("http://127.0.0.1:8000", description="Where departments open links")
    secret_key: str = Field(DEVELOPMENT_SECRET, description="Signs intake links and sessions")
    smtp_url: str | None = Field(None, description="smtp://user:pass@host:port; outbox if unset")
    mail_from: str = Field("contestflow@localhost", description="Sender of notifications")
    mail_max_mb: float = Field(
        20, gt=0, description="Largest total of attachments one e-mail may carry, in MB"
    )
    coordinator_email: str | None = Field(
        None, description="Who gets summaries and reminders; the international department if unset"
    )
    mt_provider: str = Field(
        "none", description="Machine translation in the submission flow: none, libre, google..."
    )
    mt_url: str | None = Field(None, description="The MT provider's address (self-hosted)")
    mt_api_key: str | None = Field(None, description="The MT provider's key, where it needs one")
    pdf_copies: bool = Field(
        True, description="PDF copies of a package's Word files beside it (needs LibreOffice)"
    )
    db_connect_timeout: float = Field(
        10, gt=0, description="Seconds to wait for PostgreSQL to accept a connection"
    )
    db_statement_timeout: float = Field(
        60, gt=0, description="Seconds one PostgreSQL statement may run (or wait for a lock)"
    )
    prefect_api_url: str | None = Field(
        None, description="A Prefect server: flows then run on its workers, not in-process"
    )

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("CONTESTFLOW_SECRET_KEY must be set in production")
        if self.environment not in {"development", "production"}:
            raise ValueError("CONTESTFLOW_ENVIRONMENT must be development or production")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'contestflow.db'}"

    @property
    def store_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def packages_dir(self) -> Path:
        return self.home / "packages"

    def submission_dir(self, submission_id: int) -> Path:
        """Where a submission's package, manifest and review documents are written."""
        return self.packages_dir / f"submission-{submission_id}"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def prefect_home(self) -> Path:
        return self.home / "prefect"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings for this process (tests call ``cache_clear()`` after changing the env)."""
    return Settings()


def prepare_prefect_environment(settings: Settings | None = None) -> None:
    """Point Prefect at the workspace before it is imported, so nothing lands in ``~/.prefect``.

    Prefect reads its settings at import time, hence environment variables rather than code.
    """
    settings = settings or get_settings()
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(settings.prefect_home))
    if settings.prefect_api_url:
        os.environ.setdefault("PREFECT_API_URL", settings.prefect_api_url)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The ephemeral server starts in ~7 s here, but far slower on a loaded 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_BATCH_INTERVAL", "0.3")
