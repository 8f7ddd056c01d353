"""Settings from CONTESTFLOW_* environment variables.

One class, read once. Defaults work offline on a fresh clone: the workspace is the repository's
``submissions/`` folder, the database a SQLite file inside it.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from contestflow.i18n import N_, tr

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = REPOSITORY_ROOT / "submissions"
# A key anyone can read signs anyone's cookie: production needs its own, this long at least.
MIN_SECRET_BYTES = 32
SECRET_FILE = "secret-key"
SHORT_SECRET = N_("CONTESTFLOW_SECRET_KEY must be a secret of at least %(least)s bytes in "
                  "production (it has %(has)s); make one with: python3 -c \"import secrets; "
                  "print(secrets.token_urlsafe(32))\"")
SHORT_WORKSPACE_SECRET = N_("%(path)s holds no secret of at least 32 bytes: delete the file and "
                            "a new one is made (everyone signed in signs in again)")
BAD_GUESS_LIMIT = N_("CONTESTFLOW_GUESS_LIMIT must read like 30/minute (it is %(value)s)")
BAD_LANGUAGE = N_("CONTESTFLOW_LANGUAGE must be ru or en (it is %(value)s)")
BAD_ENVIRONMENT = N_("CONTESTFLOW_ENVIRONMENT must be development or production (it is "
                     "%(value)s)")


class SettingsRefused(ValueError):
    """A setting the app will not start with: one line, Russian first, naming the setting."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(f"{tr('ru', template, **params)} / {tr('en', template, **params)}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONTESTFLOW_", extra="ignore")

    environment: str = Field("development", description="development or production")
    home: Path = Field(DEFAULT_HOME, description="Workspace: database, blobs, packages, outbox")
    database_url: str | None = Field(None, description="SQLAlchemy URL; SQLite in home if unset")
    base_url: str = Field("http://127.0.0.1:8000", description="Where departments open links")
    secret_key: str = Field("", description="Signs intake links and sessions; in development "
                            "a random one kept in the workspace (secret-key) if unset")
    guess_limit: str = Field(
        "30/minute", description="Refused tokens, links and passwords one client address may "
        "send before it is answered 429 (the limits library's notation)")
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
    mt_model: str | None = Field(None, description="The model the llm provider asks for")
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
    language: Literal["ru", "en"] = Field(
        "ru", description="The language the command line speaks: ru (default) or en"
    )

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: object) -> object:
        # before the Literal's own check, which would end the command in a traceback
        if value not in ("ru", "en"):
            raise SettingsRefused(BAD_LANGUAGE, value=repr(value))
        return value

    @field_validator("guess_limit")
    @classmethod
    def _readable_limit(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError:
            raise SettingsRefused(BAD_GUESS_LIMIT, value=repr(value)) from None
        return value

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment not in {"development", "production"}:
            raise SettingsRefused(BAD_ENVIRONMENT, value=repr(self.environment))
        has = len(self.secret_key.encode())
        if self.production and has < MIN_SECRET_BYTES:
            raise SettingsRefused(SHORT_SECRET, least=MIN_SECRET_BYTES, has=has)
        return self

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def signing_key(self) -> str:
        """What signs links and cookies: the configured secret, or in development this
        workspace's own random one (so a cookie from one workspace opens no other)."""
        return self.secret_key or workspace_secret(self.home)

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
    """The settings for this process (tests call ``cache_clear()`` after changing the env).

    Raises ``SettingsRefused`` (one line for the person starting it) on a setting it refuses.
    """
    try:
        return Settings()
    except ValidationError as error:
        for detail in error.errors():
            cause = (detail.get("ctx") or {}).get("error")
            if isinstance(cause, SettingsRefused):
                raise cause from None
        raise


@lru_cache(maxsize=8)
def workspace_secret(home: Path) -> str:
    """The workspace's random secret, made on first use and readable by its owner only.

    Written to a temporary file first and linked into place, so two processes starting at
    once agree on one secret and neither reads a half-written file.
    """
    path = home / SECRET_FILE
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        draft = home / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(48) + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the workspace's secret
        finally:
            draft.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # copied in with looser permissions: nobody else may read it
    secret = path.read_text().strip()
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise SettingsRefused(SHORT_WORKSPACE_SECRET, path=str(path))
    return secret


def prepare_prefect_environment(settings: Settings | None = None) -> None:
    """Point Prefect at the workspace before it is imported, so nothing lands in ``~/.prefect``.

    Prefect reads its settings at import time, hence environment variables rather than code.
    """
    settings = settings or get_settings()
    os.environ.setdefault("PREFECT_HOME", str(settings.prefect_home))
    # A PREFECT_HOME set by the caller may not exist yet: Prefect and our server log write there.
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    if settings.prefect_api_url:
        os.environ.setdefault("PREFECT_API_URL", settings.prefect_api_url)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The ephemeral server starts in ~7 s here, but far slower on a loaded 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_BATCH_INTERVAL", "0.3")
