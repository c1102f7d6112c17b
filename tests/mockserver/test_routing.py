"""`TableRouting` hands on exactly what Connexion's router hands on, for every request."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from mockserver._connexion import Resolver, RoutingMiddleware, Specification
from mockserver.catalog import load_catalog, routing_document
from mockserver.routing import TableRouting
from mockserver.settings import Settings
from tests.conftest import SPECS

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def add_api(router: Any, document: dict[str, Any]) -> None:
    """As Connexion adds the mock's API to its routing middleware."""
    router.add_api(
        Specification.from_dict(document), resolver=Resolver(lambda operation_id: add_api)
    )


class Recorder:
    """A router over the mock's routing document, and what it hands to the next app."""

    def __init__(self, middleware_class: type, document: dict[str, Any]) -> None:
        self.seen: list[dict[str, Any]] = []
        self.router = middleware_class(self.next_app)
        add_api(self.router, document)

    async def next_app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.seen.append(scope)

    def route(self, scope: dict[str, Any]) -> Any:
        """The scope handed on, what the router answered itself, or what it raised."""
        self.seen.clear()
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        try:
            asyncio.run(self.router(dict(scope), receive, send))
        except Exception as exc:  # a 405 is an exception when the scope has an app
            return ("raised", repr(exc))
        return ("next", list(self.seen)) if self.seen else ("answered", sent)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return routing_document(load_catalog(Settings(specs_dir=SPECS).spec_paths()))


def requests(document: dict[str, Any]) -> list[dict[str, Any]]:
    paths = [re.sub(r"\{[^}]*\}", "x%20y", path) for path in document["paths"]]
    paths += ["/nope", "/ivc/record/retrievetask/add/", "/IVC/record/retrievetask/add", ""]
    scopes = []
    for path in paths:
        for method in METHODS:
            scope = {"type": "http", "method": method, "path": path, "headers": []}
            scopes.append({**scope, "root_path": ""})
            scopes.append(scope)
            scopes.append({**scope, "root_path": "/api", "path": "/api" + path})
            scopes.append({**scope, "root_path": "", "extensions": {"other": {}}})
    return scopes


def test_every_request_is_routed_as_connexion_routes_it(document: dict[str, Any]) -> None:
    table, connexion = Recorder(TableRouting, document), Recorder(RoutingMiddleware, document)
    for scope in requests(document):
        assert table.route(scope) == connexion.route(scope), scope


def test_literal_paths_are_in_the_table(document: dict[str, Any]) -> None:
    router = Recorder(TableRouting, document).router
    literal = {path for path in document["paths"] if "{" not in path}
    assert set(router.table) == literal
    ivc = router.table["/ivc/record/retrievetasklsit/query"]
    assert ivc == {
        "GET": ("tencent-ivc:listRetrieveTasks", ""),
        "HEAD": ("tencent-ivc:listRetrieveTasks", ""),
    }


def test_a_path_parameter_holding_a_line_feed_reaches_its_operation(
    document: dict[str, Any],
) -> None:
    templated = next(path for path in document["paths"] if "{" in path)
    method = next(key.upper() for key in document["paths"][templated] if key != "parameters")
    path = re.sub(r"\{[^}]*\}", "a\nb", templated)
    scope = {"type": "http", "method": method, "path": path, "headers": [], "root_path": ""}
    kind, seen = Recorder(TableRouting, document).route(scope)
    assert kind == "next"
    assert set(seen[0]["path_params"].values()) == {"a\nb"}
    assert seen[0]["extensions"]["connexion_routing"]["operation_id"]
    # Connexion's own router (Starlette's Mount: '.*') finds no operation for it.
    kind, seen = Recorder(RoutingMiddleware, document).route(scope)
    routed = seen[0].get("extensions", {}).get("connexion_routing", {}) if kind == "next" else {}
    assert routed.get("operation_id") is None
