"""Connexion, imported in one place.

Connexion 3.3 imports ``starlette.testclient`` at import time, which warns under newer
Starlette releases; the warning is about Connexion's test client (which the mock never uses),
so it is silenced here rather than in every caller. Connexion ships no type information.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from connexion import AsyncApp  # type: ignore[import-untyped]
    from connexion.middleware.routing import (  # type: ignore[import-untyped]
        RoutingMiddleware,
        RoutingOperation,
    )
    from connexion.middleware.swagger_ui import (  # type: ignore[import-untyped]
        SwaggerUIMiddleware,
    )
    from connexion.options import SwaggerUIOptions  # type: ignore[import-untyped]
    from connexion.resolver import Resolver  # type: ignore[import-untyped]
    from connexion.spec import Specification  # type: ignore[import-untyped]

__all__ = [
    "AsyncApp",
    "Resolver",
    "RoutingMiddleware",
    "RoutingOperation",
    "Specification",
    "SwaggerUIMiddleware",
    "SwaggerUIOptions",
]
