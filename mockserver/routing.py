"""`TableRouting`: Connexion's ``RoutingMiddleware``, with literal paths looked up in a table.

Connexion routes with Starlette's router, which tries each route's regex in turn. For a path
without templates the outcome never changes, so when Connexion adds the API, each literal
``(method, path)`` of the document is routed once through Connexion's own routes (Starlette's
rule: the first full match wins) and the operationId it reaches is kept. A request for one of
them gets the scope Connexion's router would hand on: a copy with ``path_params`` and
``extensions["connexion_routing"]``. Everything else (templated paths, unknown paths, a wrong
method, a ``root_path``) goes through Connexion's router as before.

One change to the routes themselves: Starlette's ``Mount`` (Connexion mounts each API with one)
matches the rest of the path with ``.*``, which stops at a line feed, so a path parameter
holding one (sent as ``%0A``) found no operation. `add_api` recompiles each mount's pattern
with ``re.DOTALL``; the operations' own patterns (``[^/]+`` per parameter) already match it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.routing import Match, Mount, Route, Router

from mockserver._connexion import RoutingMiddleware, RoutingOperation

__all__ = ["ROUTING", "TableRouting", "literal_routes", "match_line_feeds"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

ROUTING = "connexion_routing"
"""Where Connexion's router leaves the operationId in ``scope["extensions"]``."""

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _root_path(scope: Mapping[str, Any]) -> str:
    # As connexion.middleware.routing.RoutingOperation reads it.
    return str(scope.get("route_root_path", scope.get("root_path", "")))


def _resolve(router: Any, scope: dict[str, Any]) -> tuple[RoutingOperation, dict[str, Any]] | None:
    """The operation Starlette's router would call for ``scope``, and the scope it would see."""
    for route in router.routes:
        match, child = route.matches(scope)
        if match is not Match.FULL:
            continue
        inner = {**scope, **child}
        if isinstance(route, Mount) and isinstance(route.app, Router):
            return _resolve(route.app, inner)
        if isinstance(route, Route) and isinstance(route.app, RoutingOperation):
            return route.app, inner
        return None
    return None


def literal_routes(router: Any, paths: Mapping[str, Any]) -> dict[str, dict[str, tuple[str, str]]]:
    """``path -> method -> (operationId, api_base_path)`` for every path of ``paths`` without
    templates, as Connexion's ``router`` routes them (with Starlette, ``HEAD`` too for ``GET``)."""
    mounts = {route.path for route in router.routes if isinstance(route, Mount)} or {""}
    table: dict[str, dict[str, tuple[str, str]]] = {}
    for path, item in paths.items():
        if "{" in path or not isinstance(item, Mapping):
            continue
        methods = {key.upper() for key in item if key in _METHODS}
        if "GET" in methods:
            methods.add("HEAD")
        for base in mounts:
            for method in methods:
                probe = {"type": "http", "method": method, "path": base + path, "root_path": ""}
                found = _resolve(router, probe)
                if found is None or found[0].operation_id is None or found[1].get("path_params"):
                    continue
                api_base_path = _root_path(found[1])[len(_root_path(probe)) :]
                table.setdefault(base + path, {})[method] = (found[0].operation_id, api_base_path)
    return table


def match_line_feeds(router: Any) -> None:
    """Let every ``Mount`` under ``router`` match a path holding a line feed."""
    for route in router.routes:
        if isinstance(route, Mount):
            route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
            if isinstance(route.app, Router):
                match_line_feeds(route.app)


class TableRouting(RoutingMiddleware):  # type: ignore[misc]
    """Connexion's router; literal paths answered from a table built from its routes."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.paths: dict[str, Any] = {}
        self.table: dict[str, dict[str, tuple[str, str]]] = {}

    def add_api(self, specification: Any, base_path: str | None = None, **kwargs: Any) -> None:
        super().add_api(specification, base_path=base_path, **kwargs)
        match_line_feeds(self.router)
        self.paths.update(specification.raw.get("paths") or {})
        self.table = literal_routes(self.router, self.paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and "route_root_path" not in scope
        ):
            methods = self.table.get(scope["path"])
            found = None if methods is None else methods.get(scope["method"])
            if found is not None:
                # What connexion.middleware.routing.RoutingOperation hands on, written into
                # the request's scope as it does.
                scope.setdefault("path_params", {})
                extensions = scope.setdefault("extensions", {})
                extensions.setdefault(ROUTING, {}).update(
                    {"api_base_path": found[1], "operation_id": found[0]}
                )
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
