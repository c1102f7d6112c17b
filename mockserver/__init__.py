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
`responder` and `middleware` (the request path), `admin` (``/__mock/``), `logs`.
"""

from __future__ import annotations

from mockserver.app import MockApp, create_app
from mockserver.settings import Settings

__all__ = ["MockApp", "Settings", "create_app"]
