"""What every worker of `qengine serve` is told, and how it is handed to them.

uvicorn starts each worker process from an import string, so the settings travel
in one environment variable (JSON). The admin password travels only as its hash.
"""

from __future__ import annotations

import json
import os

import attrs

ENVIRONMENT = "QENGINE_SERVE_CONFIG"


@attrs.frozen
class ServeConfig:
    survey_path: str
    database: str  # a URL (sqlite:///…, postgresql://…) or an SQLite file
    base_path: str = ""  # "" or "/x": the path the survey is served under
    closed: bool = False  # by invitation only
    admin_password_hash: str | None = None  # `security.hash_password`; None: /admin is off
    rate_limit: int = 30  # new responses per client and minute; 0: no limit
    pool_size: int = 8  # database connections per worker

    def to_environment(self) -> dict[str, str]:
        return {ENVIRONMENT: json.dumps(attrs.asdict(self))}

    @classmethod
    def from_environment(cls) -> ServeConfig:
        return cls(**json.loads(os.environ[ENVIRONMENT]))


def base_path(value: str) -> str:
    """`--base-path` as routes want it: "" or "/x/y", without a trailing slash."""
    parts = [p for p in value.split("/") if p]
    return "/" + "/".join(parts) if parts else ""
