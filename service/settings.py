"""Deployment settings, read from the environment in one place."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """The per-user data directory used when ``MEMBERLENS_HOME`` is unset."""
    return Path(platformdirs.user_data_dir("memberlens"))


class Settings(BaseSettings):
    """Every tunable of the service; environment variables are ``MEMBERLENS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="MEMBERLENS_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "MEMBERLENS_DATABASE_URL"),
        description="PostgreSQL URL; unset means an embedded server under `home`.",
    )
    timezone: str = Field(default="Asia/Shanghai", description="Business time zone.")
    home: Path = Field(default_factory=default_home, description="Embedded data directory.")

    max_depth: int = Field(default=12, ge=1, description="Deepest GraphQL selection.")
    max_aliases: int = Field(default=30, ge=1, description="Aliases per GraphQL document.")
    max_page_size: int = Field(default=100, ge=1, description="Largest `first` of a connection.")
    max_metrics: int = Field(default=50, ge=1, description="Metrics one field may ask for.")
    max_period_days: int = Field(default=366, ge=1, description="Longest period, in days.")
    rate_limit_per_second: float = Field(default=50, gt=0, description="Requests per key.")
    rate_limit_burst: int = Field(default=100, ge=1, description="Burst size per key.")
    statement_timeout_seconds: float = Field(default=10, gt=0, description="SQL timeout.")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="Request body cap.")
    max_load_bytes: int = Field(
        default=512 * 1024 * 1024, ge=1024, description="Body cap of a `POST /load` upload."
    )
    peer_floor: int = Field(default=5, ge=3, description="Fewest shops behind a peer figure.")
    segment_max_depth: int = Field(default=8, ge=1, description="Deepest segment rule nesting.")
    export_link_seconds: int = Field(default=3600, ge=1, description="Audience export link life.")
    pool_size: int = Field(default=10, ge=1, description="Database connections per process.")
    fact_statements: int = Field(
        default=4, ge=1, description="Fact statements one process runs at once."
    )
    figure_cache_rows: int = Field(
        default=100_000, ge=0, description="Slice rows of fact readings kept per process."
    )
    peer_sets: bool = Field(
        default=True, description="Keep peer figure sets in the database for every process."
    )
    answer_cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="Bytes of whole answers kept per process."
    )

    max_tokens: int = Field(default=5000, ge=100, description="Parser tokens per document.")
    max_fields: int = Field(
        default=1000, ge=10, description="Fields of a document, fragments expanded."
    )
    max_cost: int = Field(
        default=15_000, ge=100, description="Estimated cost of a document, in window-days."
    )
    key_requests: int = Field(
        default=4, ge=1, description="Requests one key may have executing at once."
    )
    key_connections: int = Field(
        default=3, ge=1, description="Database connections one key may hold at once."
    )
    key_wait_seconds: float = Field(
        default=2, ge=0, description="How long a request waits for its key's turn."
    )
    request_deadline_seconds: float = Field(
        default=15, gt=0, description="Longest a GraphQL request may run."
    )
    header_timeout_seconds: float = Field(
        default=10, gt=0, description="Longest a client may take to send a request's headers."
    )
    body_timeout_seconds: float = Field(
        default=10, gt=0, description="Longest wait for the next part of a request body."
    )
    max_connections: int = Field(
        default=200, ge=1, description="Client connections served at once by one process."
    )
    shutdown_seconds: float = Field(
        default=5, ge=0, description="How long a stopping server lets requests finish."
    )
    retry_after_seconds: int = Field(
        default=5, ge=1, description="Retry-After of UNAVAILABLE answers."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The business time zone."""
        return ZoneInfo(self.timezone)
