"""The mock's two ASGI middlewares in the Connexion stack.

`GuardMiddleware` sits in front of Connexion's router: it serves the mock's own endpoints
under ``/__mock/`` and turns any exception into a problem+json answer (a 405 from the router
stays a 405; anything unexpected is a logged 500, never a traceback to the client).
`AnswerMiddleware` sits after Connexion's ``RoutingMiddleware`` (`mockserver.routing`): it
reads the operationId the router put in ``scope["extensions"]["connexion_routing"]`` and
answers from that operation's plan (`mockserver.responder.Mock`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from mockserver.errors import PROBLEM_JSON, Problem
from mockserver.logs import logger
from mockserver.responder import Mock, send_bytes
from mockserver.routing import ROUTING

__all__ = ["AnswerMiddleware", "GuardMiddleware"]

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class AnswerMiddleware:
    """Answers every routed request; an unrouted one is a 404 problem+json."""

    def __init__(self, app: ASGIApp, *, mock: Mock) -> None:
        self.app = app
        self.mock = mock
        self.plans = mock.plans

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        routing = scope.get("extensions", {}).get(ROUTING) or {}
        plan = self.plans.get(routing.get("operation_id") or "")
        if plan is None:
            problem = Problem(
                404,
                f"no operation of the served specs is {scope['method']} {scope['path']}",
                (("specs", [s.name for s in self.mock.served]),),
            )
            await send_bytes(send, 404, problem.body(), PROBLEM_JSON)
            return
        await self.mock.handle(plan, scope, receive, send)


class GuardMiddleware:
    """``/__mock/`` endpoints, and no exception ever reaches the client as a traceback."""

    def __init__(self, app: ASGIApp, *, admin: ASGIApp) -> None:
        self.app = app
        self.admin = admin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = self.admin if scope["path"].startswith("/__mock/") else self.app
        try:
            await target(scope, receive, send)
        except HTTPException as exc:
            extra = [
                (k.lower().encode("latin-1"), v.encode("latin-1"))
                for k, v in (exc.headers or {}).items()
            ]
            detail = f"{scope['method']} {scope['path']}: {exc.detail}"
            problem = Problem(exc.status_code, detail)
            await _send_problem(send, problem, extra)
        except Exception:
            logger.exception("internal error answering %s %s", scope["method"], scope["path"])
            problem = Problem(500, "the mock server failed; its log has the details")
            await _send_problem(send, problem, [])


async def _send_problem(send: Send, problem: Problem, extra: list[tuple[bytes, bytes]]) -> None:
    try:
        await send_bytes(send, problem.status, problem.body(), PROBLEM_JSON, extra)
    except Exception:  # the answer had started: the server closes the connection
        logger.debug("could not send the problem answer", exc_info=True)
