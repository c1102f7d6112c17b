"""`Settings`: every option of the mock server in one frozen object.

The command line (`mockserver.cli`) builds one; `mockserver.app.create_app` reads it. Defaults
live here and nowhere else.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_SPECS_DIR", "Settings"]

DEFAULT_SPECS_DIR = Path("specs")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """The mock server's options (see ``python -m mockserver --help``).

    >>> Settings().port, Settings(port=9000).port
    (8000, 9000)
    """

    specs: tuple[Path, ...] = ()
    """Spec files to serve; empty: every ``*.yaml``/``*.json`` in `specs_dir`."""
    specs_dir: Path = DEFAULT_SPECS_DIR
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int | None = None
    """Seed of dynamic answers and fresh ids; ``None``: random."""
    dynamic: bool = False
    """Answer every request with data generated from the schema (Prism's ``-d``)."""
    state: bool = True
    """Apply the specs' ``x-state`` rules (created records appear in lists, ...)."""
    state_file: Path | None = None
    """Keep the state in this SQLite file (shared by workers, kept across restarts)."""
    state_limit: int = 1_000
    """At most this many records per resource; the oldest are dropped first."""
    validate_requests: bool = True
    validate_responses: bool = True
    max_body: int = 1024 * 1024
    """Largest request body accepted, in bytes."""
    max_depth: int = 64
    """Deepest nesting of arrays and objects accepted in a JSON body."""
    delay_ms: int = 0
    """Latency added to every answer (``Prefer: delay=MS`` overrides it per request)."""
    max_delay_ms: int = 60_000
    cors: bool = True
    cors_origins: tuple[str, ...] = ("*",)
    docs: bool = True
    """Serve Swagger UI for each spec under ``/__mock/docs/<spec>/ui/``."""
    quiet: bool = False
    """No log line per request."""
    reload: bool = False
    workers: int = 1
    log_level: str = "info"

    def spec_paths(self) -> tuple[Path, ...]:
        """The spec files to serve, in a stable order."""
        if self.specs:
            return self.specs
        found = sorted(self.specs_dir.glob("*.yaml")) + sorted(self.specs_dir.glob("*.json"))
        return tuple(found)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_json(self) -> str:
        """The settings as JSON text (worker processes rebuild them with `from_json`)."""
        data = asdict(self)
        data["specs"] = [str(path) for path in self.specs]
        data["specs_dir"] = str(self.specs_dir)
        data["state_file"] = None if self.state_file is None else str(self.state_file)
        data["cors_origins"] = list(self.cors_origins)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data = json.loads(text)
        data["specs"] = tuple(Path(path) for path in data["specs"])
        data["specs_dir"] = Path(data["specs_dir"])
        data["state_file"] = None if data["state_file"] is None else Path(data["state_file"])
        data["cors_origins"] = tuple(data["cors_origins"])
        return cls(**data)
