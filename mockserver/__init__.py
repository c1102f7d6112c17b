"""specpact's mock server: every spec in ``specs/`` served as one Connexion app.

Public surface::

    from mockserver import Settings, create_app
    app = create_app(Settings(quiet=True))   # an ASGI app (uvicorn, httpx.ASGITransport)

``python -m mockserver --help`` explains the command line. The modules, one idea each:
`settings` (options), `cli`, `app` (the Connexion stack), `catalog` (specs + validators),
`extensions` (``x-validation-errors``, ``x-echo``), `plans` (per-operation answers prepared at
startup), `selection` (Prism's ``Prefer``), `validation` (the seam to the generated
validators), `payload` (bodies), `envelopes` (vendor errors), `errors` (problem+json),
`state` and `stores` (``x-state``), `echo` (``x-echo``), `dynamic` (generated answers),
`routing`, `responder` and `middleware` (the request path), `admin` (``/__mock/``), `logs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.settings import Settings

if TYPE_CHECKING:
    from mockserver.app import MockApp, create_app

__all__ = ["MockApp", "Settings", "create_app"]


def __getattr__(name: str) -> Any:
    # The app (Connexion with it) is imported on first use: `python -m mockserver` imports this
    # package first, and imports Connexion its own way (`mockserver.cli`).
    if name in ("MockApp", "create_app"):
        from mockserver import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
