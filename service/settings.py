"""The service's settings, read from ``CIVICWEAVE_*`` environment variables, and the
Application built from them."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.application import CivicWeave
from domain.persistence import DEFAULT_DATABASE_URL, environment

LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]


class Settings(BaseSettings):
    """Everything the service can be told from outside; each field is ``CIVICWEAVE_<NAME>``.

    >>> Settings(port=8080, cors_origins="https://a.example, https://b.example").cors_origins
    ['https://a.example', 'https://b.example']
    """

    model_config = SettingsConfigDict(env_prefix="CIVICWEAVE_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)
    log_level: LogLevel = "info"
    # NoDecode: the environment may give a JSON list or plain comma-separated origins.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    request_limit_bytes: int = Field(default=1_000_000, gt=0)
    # Run the projector inside the server (single process). Turn off when a separate
    # `civicweave worker` maintains the views for several API processes.
    projector: bool = True

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case_level(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.strip()
        if value.startswith("["):
            return json.loads(value)
        return [origin.strip() for origin in value.split(",") if origin.strip()]


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once (``get_settings.cache_clear()`` re-reads)."""
    return Settings()


def make_app(settings: Settings) -> CivicWeave:
    """The Application on the store that ``settings.database_url`` names."""
    return CivicWeave(environment(settings.database_url))
