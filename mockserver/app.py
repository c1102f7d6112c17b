"""`create_app`: the mock server as one Connexion ``AsyncApp`` over every spec.

The Connexion stack is chosen, not inherited (``AsyncApp(middlewares=[...])``)::

    CORSMiddleware (Starlette)      CORS headers, preflights answered          (--no-cors: off)
    GuardMiddleware                 /__mock/ endpoints; exceptions -> problem+json
    TableRouting                    Connexion's RoutingMiddleware: method + path -> operationId
                                    in the ASGI scope (literal paths from a table of its routes)
    AnswerMiddleware                the operation's prepared plan answers

Connexion's request/response validation, security and context middlewares are left out: the
generated validators do that work from plans built at startup. With ``--reload`` the app is
rebuilt from the specs in the background whenever one changes; a spec that breaks keeps the
last good app serving, and the log says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.middleware.cors import CORSMiddleware

from generator.errors import SpecpactError
from mockserver._connexion import AsyncApp, Resolver
from mockserver.admin import Admin
from mockserver.catalog import load_catalog, routing_document
from mockserver.errors import MockConfigError
from mockserver.logs import logger
from mockserver.middleware import AnswerMiddleware, GuardMiddleware
from mockserver.responder import VIOLATIONS_HEADER, Mock
from mockserver.routing import TableRouting
from mockserver.settings import Settings
from mockserver.stores import Store, open_store

__all__ = ["MockApp", "build", "create_app"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_EXPOSED = [VIOLATIONS_HEADER.decode(), "x-mock-example", "preference-applied"]


class OriginOnlyCORS:
    """Starlette's ``CORSMiddleware``, consulted only for requests that carry an ``Origin``
    (a request without one is not a CORS request, and skips its per-request work)."""

    def __init__(self, app: Any, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, _ in scope["headers"]:
                if name == b"origin":
                    await self.cors(scope, receive, send)
                    return
        await self.app(scope, receive, send)


async def _never_called(*args: Any, **kwargs: Any) -> None:  # pragma: no cover
    """Connexion resolves every operationId to a function; AnswerMiddleware answers first."""
    raise RuntimeError("the mock answers every routed request before Connexion's app")


def build(settings: Settings, store: Store, *, fresh: bool = False) -> tuple[Any, Mock]:
    """A Connexion ``AsyncApp`` serving the specs of ``settings``, and its `Mock`.

    Raises `generator.errors.SpecError` when a spec cannot be served, `MockConfigError` when
    there is none (``specs_dir`` is relative to the working directory).
    """
    paths = settings.spec_paths()
    if not paths:
        raise MockConfigError(f"{settings.specs_dir}: no spec files (*.yaml, *.json)")
    served = load_catalog(paths, fresh=fresh)
    mock = Mock(settings, served, store)
    admin = Admin(mock, docs=settings.docs)
    middlewares: list[Any] = []
    if settings.cors:
        middlewares.append(
            functools.partial(
                OriginOnlyCORS,
                allow_origins=list(settings.cors_origins),
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=_EXPOSED,
            )
        )
    middlewares += [
        functools.partial(GuardMiddleware, admin=admin),
        TableRouting,
        functools.partial(AnswerMiddleware, mock=mock),
    ]
    app = AsyncApp(
        "mockserver",
        middlewares=middlewares,
        resolver=Resolver(lambda operation_id: _never_called),
    )
    app.add_api(routing_document(served), name="specpact-mock")
    return app, mock


class MockApp:
    """The ASGI application: the current Connexion app, swapped on a good reload."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.app, self.mock = build(settings, store)
        self.last_error: str | None = None
        self._watcher: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.settings.reload:
                    self._watcher = asyncio.create_task(self._watch())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._watcher is not None:
                    self._watcher.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await self._watcher
                self.store.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _snapshot(self) -> dict[Path, float]:
        paths = set(self.settings.spec_paths()) | set(self.settings.specs_dir.glob("*.yaml"))
        found = {}
        for path in paths:
            with contextlib.suppress(OSError):
                found[path] = path.stat().st_mtime
        return found

    def reload(self) -> bool:
        """Rebuild from the specs now; keep serving the last good app when that fails."""
        try:
            self.app, self.mock = build(self.settings, self.store)
        except (SpecpactError, OSError) as exc:
            self.last_error = str(exc)
            logger.error("reload failed, still serving the last good specs: %s", exc)
            return False
        self.last_error = None
        logger.info("reloaded %d spec(s)", len(self.mock.served))
        return True

    async def _watch(self, interval: float = 0.5) -> None:
        seen = self._snapshot()
        while True:
            await asyncio.sleep(interval)
            now = self._snapshot()
            if now != seen:
                seen = now
                self.reload()


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> MockApp:
    """The mock server for ``settings`` (default: every spec in ``specs/``).

    >>> app = create_app(Settings(quiet=True))  # doctest: +SKIP
    """
    settings = settings or Settings()
    store = store or open_store(settings.state_file, limit=settings.state_limit)
    return MockApp(settings, store)


def app_from_environment() -> MockApp:
    """The app of a worker process: settings passed by the parent in ``SPECPACT_MOCK``."""
    import os

    from mockserver.logs import configure

    settings = Settings.from_json(os.environ["SPECPACT_MOCK_SETTINGS"])
    configure(settings.log_level)
    return create_app(settings)
