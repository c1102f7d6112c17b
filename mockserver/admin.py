"""The mock's own endpoints, under ``/__mock/``.

* ``GET /__mock/`` — what is served: each spec, its operations, its Swagger UI.
* ``POST /__mock/reset`` — forget every stored record (``x-state``).
* ``GET /__mock/docs/<spec>/ui/`` — Swagger UI of one spec (Connexion's
  ``SwaggerUIMiddleware``, one per spec, built on first use); the document it shows is at
  ``/__mock/docs/<spec>/openapi.json`` and its "Try it out" calls the mock at the vendor's paths.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from mockserver._json import clone, dumps
from mockserver.errors import PROBLEM_JSON, Problem
from mockserver.responder import Mock, send_bytes

__all__ = ["Admin", "docs_path"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PREFIX = "/__mock/"


def docs_path(spec: str) -> str:
    return f"{PREFIX}docs/{spec}"


class Admin:
    """ASGI app of the ``/__mock/`` endpoints."""

    def __init__(self, mock: Mock, *, docs: bool) -> None:
        self.mock = mock
        self.docs_enabled = docs
        self._docs: ASGIApp | None = None

    def index(self) -> dict[str, Any]:
        return {
            "specs": [
                {
                    "name": served.name,
                    "title": served.spec.title,
                    "file": str(served.spec.file),
                    "validators": served.validators_origin,
                    "ui": f"{docs_path(served.name)}/ui/" if self.docs_enabled else None,
                    "openapi": f"{docs_path(served.name)}/openapi.json"
                    if self.docs_enabled
                    else None,
                    "operations": [
                        {
                            "operationId": op.operation_id,
                            "method": op.method.upper(),
                            "path": op.path,
                        }
                        for op in served.spec.operations
                    ],
                }
                for served in self.mock.served
            ],
            "reset": f"POST {PREFIX}reset",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path in (PREFIX, PREFIX.rstrip("/")) and method in ("GET", "HEAD"):
            await send_bytes(send, 200, dumps(self.index()), "application/json")
        elif path == f"{PREFIX}reset" and method == "POST":
            self.mock.reset()
            await send_bytes(send, 200, dumps({"reset": True}), "application/json")
        elif path.startswith(f"{PREFIX}docs/") and self.docs_enabled:
            await self.docs()(scope, receive, send)
        else:
            await self._not_found(scope, receive, send)

    async def _not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = Problem(
            404,
            f"{scope['method']} {scope['path']} is not an endpoint of the mock",
            (("endpoints", self.index()),),
        )
        await send_bytes(send, 404, problem.body(), PROBLEM_JSON)

    def docs(self) -> ASGIApp:
        """One Connexion ``SwaggerUIMiddleware`` per spec, chained, each with its own paths."""
        if self._docs is None:
            from mockserver._connexion import (
                Specification,
                SwaggerUIMiddleware,
                SwaggerUIOptions,
            )

            app: ASGIApp = self._not_found
            for served in self.mock.served:
                middleware = SwaggerUIMiddleware(app)
                options = SwaggerUIOptions(
                    spec_path=f"{docs_path(served.name)}/openapi.json",
                    swagger_ui_path=f"{docs_path(served.name)}/ui",
                )
                document = clone(dict(served.spec.document))
                middleware.add_api(
                    Specification.from_dict(document), base_path="", swagger_ui_options=options
                )
                app = middleware
            self._docs = app
        return self._docs
