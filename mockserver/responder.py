"""`Mock`: answers one routed request, from the operation's prepared `OperationPlan`.

The path of a request: read and validate it (`mockserver.validation`); a rejected request gets
the vendor's error (`OperationPlan.reject`); otherwise the caller's preference picks a
documented answer (`mockserver.selection`), or the default answer is taken, generated when
dynamic, changed by ``x-state`` and filled with the caller's data by ``x-echo``. The answer is
sent from bytes prepared at startup whenever nothing in it depends on the request.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from generator.runtime import ABSENT
from mockserver.catalog import ServedSpec
from mockserver.declared import keep_declared
from mockserver.echo import apply_echo
from mockserver.errors import PROBLEM_JSON, Problem
from mockserver.logs import access, access_line, logger
from mockserver.payload import BadInput
from mockserver.plans import VIOLATIONS_HEADER, Answer, OperationPlan, build_plans
from mockserver.selection import NONE as NO_PREFERENCE
from mockserver.selection import Preference, preference
from mockserver.settings import Settings
from mockserver.state import Outcome, StateEngine, id_factory
from mockserver.stores import Store
from mockserver.validation import incoming, read_request, validate

__all__ = ["VIOLATIONS_HEADER", "Mock", "send_bytes"]

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
Receive = Callable[[], Awaitable[Message]]


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    media_type: str | None,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """Send a whole answer."""
    headers = [(b"content-length", str(len(body)).encode())]
    if media_type is not None:
        headers.append((b"content-type", media_type.encode()))
    if extra:
        headers.extend(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Mock:
    """The mock's request handling over the specs of one catalog."""

    def __init__(self, settings: Settings, served: tuple[ServedSpec, ...], store: Store) -> None:
        self.settings = settings
        self.served = served
        self.plans, id_fields = build_plans(served, check_responses=settings.validate_responses)
        self.engine = StateEngine(store, id_fields, id_factory(settings.seed))
        self.new_id = id_factory(None if settings.seed is None else settings.seed + 1)
        self._rngs: dict[str, random.Random] = {}

    def rng(self, plan: OperationPlan) -> random.Random:
        """The random source of one operation's dynamic answers (seeded: reproducible)."""
        key = f"{plan.spec}:{plan.operation_id}"
        rng = self._rngs.get(key)
        if rng is None:
            seed = self.settings.seed
            rng = random.Random(None if seed is None else f"{seed}/{key}")  # noqa: S311
            self._rngs[key] = rng
        return rng

    async def handle(self, plan: OperationPlan, scope: Any, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        settings = self.settings
        seen = incoming(scope)
        wish = preference(seen.headers.get("prefer"), seen.query)
        violations = 0
        try:
            request = await read_request(
                scope,
                receive,
                seen,
                plan.declared_media,
                max_body=settings.max_body,
                max_depth=settings.max_depth,
            )
        except BadInput as bad:
            answer: Answer | Problem = plan.reject(bad.kind, [], bad.message)
            violations = 1
        else:
            if settings.validate_requests:
                result = validate(plan.validator, request)
                values = result.values
                violations = len(result.violations)
            else:
                values = {
                    "path": dict(request.path),
                    "query": dict(request.query),
                    "header": dict(request.headers),
                    "body": request.body,
                }
                result = None
            if result is not None and result.violations:
                answer = plan.reject(None, result.violations)
            else:
                if plan.intake:
                    values["body"] = keep_declared(values.get("body"), plan.declared(request))
                answer = self.respond(plan, wish, values)
        delay = wish.delay_ms if wish.delay_ms is not None else settings.delay_ms
        if delay > 0:
            await asyncio.sleep(min(delay, settings.max_delay_ms) / 1000)
        await self.send(send, answer, wish)
        if not settings.quiet:
            status = answer.status
            example = answer.example if isinstance(answer, Answer) else "problem"
            bad_answer = len(answer.violations) if isinstance(answer, Answer) else 0
            access.info(
                access_line(
                    scope["method"],
                    scope["path"],
                    plan.operation_id,
                    status,
                    example,
                    violations,
                    (time.perf_counter() - started) * 1000,
                    bad_answer,
                )
            )

    def respond(
        self, plan: OperationPlan, wish: Preference, values: dict[str, Any]
    ) -> Answer | Problem:
        """The answer to a valid request."""
        dynamic = wish.dynamic if wish.dynamic is not None else self.settings.dynamic
        if wish.forced:
            if dynamic and wish.example is None:
                response = plan.response_for(wish.code) if wish.code else None
                if response is None:
                    return plan.choose(wish.code, None)
                return plan.generate(response, self.rng(plan), status=_code(wish.code))
            return plan.choose(wish.code, wish.example)
        base: Answer | Problem | None = (
            plan.generate(None, self.rng(plan)) if dynamic else plan.default
        )
        if base is None:
            base = (
                plan.choose(None, None)
                if plan.answers
                else Problem(500, f"{plan.operation_id} documents no answer")
            )
        if isinstance(base, Problem):
            return base
        rule = plan.state
        outcome: Outcome | None = None
        if rule is not None:
            if self.settings.state:
                cached = plan.list_cache
                cacheable = (
                    rule.action == "list"
                    and not rule.select
                    and not dynamic
                    and all(entry.source == "records" for entry in plan.echo)
                )
                version = self.engine.store.version() if cacheable else -1
                if cached is not None and cached[0] == version:
                    return cached[1]
                outcome = self.engine.apply(rule, values.get("body", ABSENT), namespace=plan.spec)
                if outcome.error is not None:
                    ref = rule.not_found if outcome.error == "notFound" else rule.conflict
                    if ref is None:
                        return Problem(404 if outcome.error == "notFound" else 409, outcome.message)
                    return plan.state_error(ref, outcome.message)
                if cacheable:
                    answer = self._echo(plan, base, values, outcome)
                    plan.list_cache = (version, answer)
                    return answer
            else:
                outcome = self.engine.preview(rule, values.get("body", ABSENT))
        if plan.echo:
            return self._echo(plan, base, values, outcome)
        return base

    def _echo(
        self, plan: OperationPlan, base: Answer, values: dict[str, Any], outcome: Outcome | None
    ) -> Answer:
        body = apply_echo(base.body, plan.echo, values=values, outcome=outcome, new_id=self.new_id)
        answer = plan.finish(
            base.status, base.response, base.media_type, body, example=base.example
        )
        if answer.violations:
            logger.warning(
                "%s: the answer built from example %r breaks the spec: %s",
                plan.operation_id,
                base.example,
                "; ".join(f"{v.pointer}: {v.message}" for v in answer.violations),
            )
        return answer

    async def send(self, send: Send, answer: Answer | Problem, wish: Preference) -> None:
        extra: list[tuple[bytes, bytes]] = []
        if wish is not NO_PREFERENCE and (
            wish.forced or wish.dynamic is not None or wish.delay_ms is not None
        ):
            extra.append((b"preference-applied", wish.applied().encode("utf-8", "replace")))
        if isinstance(answer, Problem):
            await send_bytes(send, answer.status, answer.body(), PROBLEM_JSON, extra)
            return
        # A new list each time: middlewares (CORS) add to the headers of the answer they pass on.
        headers = [*answer.head, *extra, *answer.tail]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.raw})

    def reset(self) -> None:
        self.engine.reset()
        for plan in self.plans.values():
            plan.list_cache = None


def _code(code: str | None) -> int | None:
    return int(code) if code is not None and code.isdigit() else None
