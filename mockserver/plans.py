"""Per-operation plans, prepared once at startup: every documented answer already encoded and
checked, the answers to each kind of rejected request, the ``x-state`` rule and ``x-echo``.

At request time a plan only picks: `OperationPlan.choose` (Prism's selection), `reject`
(validation failures), `state_error`, `generate` (dynamic answers) and `finish` (encode and
check an answer built for this request).
"""

from __future__ import annotations

import functools
import logging
import random
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.errors import SpecError
from generator.model import ErrorEnvelope, ErrorRef, Operation, StateRule
from generator.resolver import Resolver
from generator.runtime import ABSENT, Request, Violation
from generator.runtime import Operation as Validator
from mockserver._json import dumps
from mockserver.catalog import ServedSpec, operation_key
from mockserver.declared import Shape, shape_of
from mockserver.envelopes import describe, fill_envelope, kind_of
from mockserver.errors import Problem, violation_list
from mockserver.extensions import EchoEntry, ErrorChoice

__all__ = ["VIOLATIONS_HEADER", "Answer", "OperationPlan", "build_plans"]

logger = logging.getLogger("mockserver")

VIOLATIONS_HEADER = b"x-mock-response-violations"
"""How many ways an answer breaks its spec (absent when it does not)."""

Headers = tuple[tuple[bytes, bytes], ...]


class _AnswerFields(NamedTuple):
    status: int
    response: str
    media_type: str | None
    body: Any
    raw: bytes
    example: str | None
    violations: tuple[Violation, ...]
    success: bool
    head: Headers
    tail: Headers


class Answer(_AnswerFields):
    """One answer, encoded: status, media type, the JSON value and its bytes.

    ``head`` and ``tail`` are its HTTP headers, encoded once: before and after the
    ``Preference-Applied`` header a request may add. (A named tuple, not a frozen dataclass:
    one is built per echoed answer, and a frozen dataclass takes four times as long to build.)
    """

    __slots__ = ()

    def __new__(
        cls,
        status: int,
        response: str,
        media_type: str | None,
        body: Any,
        raw: bytes,
        example: str | None = None,
        violations: tuple[Violation, ...] = (),
        success: bool = True,
    ) -> Answer:
        length = (b"content-length", b"%d" % len(raw))
        head: Headers = (length,) if media_type is None else (length, _content_type(media_type))
        tail: Headers = ()
        if violations:
            tail = ((VIOLATIONS_HEADER, b"%d" % len(violations)),)
        if example is not None:
            tail += ((b"x-mock-example", example.encode("utf-8", "replace")),)
        return tuple.__new__(
            cls, (status, response, media_type, body, raw, example, violations, success, head, tail)
        )


@functools.lru_cache(maxsize=64)
def _content_type(media_type: str) -> tuple[bytes, bytes]:
    return (b"content-type", media_type.encode())


def _status(key: str) -> int:
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0].isdigit() and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return 500


def _status_order(key: str) -> tuple[int, str]:
    return _status(key), key


@dataclass(slots=True)
class OperationPlan:
    """Everything the mock needs to answer one operation."""

    spec: str
    operation_id: str
    operation: Operation
    validator: Validator
    envelope: ErrorEnvelope | None
    answers: tuple[Answer, ...]
    default: Answer | None
    rejections: dict[str, tuple[Answer, ErrorChoice]]
    echo: tuple[EchoEntry, ...]
    state: StateRule | None
    declared_media: tuple[str, ...] | None
    check_responses: bool
    resolver: Resolver
    intake: dict[str, Shape] = field(default_factory=dict)
    list_cache: tuple[int, Answer] | None = None
    schemas: dict[str, tuple[str, Any]] = field(default_factory=dict)

    def declared(self, request: Request) -> Shape | None:
        """What the request schema of ``request``'s media type declares (`mockserver.declared`)."""
        shape = self.intake.get(request.media_type or "")
        if shape is None and len(self.intake) == 1:
            (shape,) = self.intake.values()
        return shape

    # -- selection ---------------------------------------------------------------------------

    def responses(self) -> list[str]:
        return sorted(
            {answer.response for answer in self.answers} | set(self.schemas), key=_status_order
        )

    def choose(self, code: str | None, example: str | None) -> Answer | Problem:
        """The documented answer the caller asked for (Prism's ``code``/``example``)."""
        candidates: list[Answer]
        if code is not None:
            response = self.response_for(code)
            if response is None:
                return Problem(
                    404,
                    f"{self.operation_id} declares no {code} answer",
                    (("operationId", self.operation_id), ("declared", self.responses())),
                )
            candidates = [answer for answer in self.answers if answer.response == response]
            if not candidates and example is None:
                return self.generate(response, random.Random(), status=_requested(code))  # noqa: S311
        else:
            first = self.default.response if self.default else None
            candidates = sorted(
                self.answers, key=lambda a: (a.response != first, _status_order(a.response))
            )
        if example is None:
            return candidates[0]
        for answer in candidates:
            if answer.example == example:
                return answer
        return Problem(
            404,
            f"{self.operation_id} has no example {example!r}"
            + (f" in its {code} answer" if code is not None else ""),
            (("operationId", self.operation_id), ("examples", self.examples())),
        )

    def examples(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for answer in self.answers:
            if answer.example is not None:
                found.setdefault(answer.response, []).append(answer.example)
        return found

    def response_for(self, code: str) -> str | None:
        declared = self.responses()
        for key in (code, code[:1] + "XX", "default"):
            if key in declared:
                return key
        return None

    # -- answers built per request -------------------------------------------------------------

    def finish(
        self,
        status: int,
        response: str,
        media_type: str | None,
        body: Any,
        *,
        example: str | None = None,
        success: bool = True,
    ) -> Answer:
        """Encode an answer built for this request and check it against the spec."""
        violations: tuple[Violation, ...] = ()
        if self.check_responses:
            violations = tuple(
                self.validator.validate_response(status, body, media_type=media_type)
            )
        raw = b"" if body is ABSENT else dumps(body)
        return Answer(status, response, media_type, body, raw, example, violations, success)

    def reject(
        self, kind: str | None, violations: list[Violation], reason: str = ""
    ) -> Answer | Problem:
        """The answer to a rejected request: the vendor's documented error, or problem+json."""
        kind = kind or kind_of(violations)
        message = reason or describe(violations)
        chosen = self.rejections.get(kind)
        if chosen is None:
            return Problem(
                400,
                message or "the request is invalid",
                (
                    ("operationId", self.operation_id),
                    ("kind", kind),
                    ("violations", violation_list(violations)),
                ),
            )
        template, choice = chosen
        body = fill_envelope(template.body, self.envelope, message, choice.code)
        return self.finish(
            template.status,
            template.response,
            template.media_type,
            body,
            example=template.example,
            success=False,
        )

    def state_error(self, ref: ErrorRef, message: str) -> Answer | Problem:
        """The answer an ``x-state`` rule names (``notFound``/``conflict``), with ``message``."""
        for answer in self.answers:
            if answer.response == ref.status and answer.example == ref.example:
                body = fill_envelope(answer.body, self.envelope, message)
                return self.finish(
                    answer.status,
                    answer.response,
                    answer.media_type,
                    body,
                    example=answer.example,
                    success=False,
                )
        return Problem(409 if "conflict" in message else 404, message)

    def generate(
        self, response: str | None, rng: random.Random, *, status: int | None = None
    ) -> Answer | Problem:
        """A dynamic answer from the response's schema, checked; the example if that fails."""
        response = response or (self.default.response if self.default else None)
        if response is None or response not in self.schemas:
            fallback = [answer for answer in self.answers if answer.response == response]
            if fallback:
                return fallback[0]
            return Problem(
                500,
                f"{self.operation_id}: the {response} answer has no schema to generate from",
                (("operationId", self.operation_id),),
            )
        from mockserver.dynamic import CannotGenerate, Generator  # only for dynamic answers

        media_type, schema = self.schemas[response]
        generator = Generator(self._deref, rng)
        code = status or _status(response)
        want_success = status is None and 200 <= code < 300
        for _ in range(30):
            try:
                body = generator.value(schema)
            except CannotGenerate as exc:
                logger.debug("%s: cannot generate: %s", self.operation_id, exc)
                break
            if want_success and self.envelope is not None and self.envelope.is_error(body):
                continue  # the default answer is a success, not an error the schema allows
            if not self.validator.validate_response(code, body, media_type=media_type):
                return self.finish(code, response, media_type, body, example=None)
        fallback = [answer for answer in self.answers if answer.response == response]
        if fallback:
            return fallback[0]
        return Problem(500, f"{self.operation_id}: cannot generate a valid {response} answer")

    def _deref(self, node: Any) -> Any:
        return self.resolver.deref(node, self.resolver.root_file, "")[0]


def _requested(code: str) -> int | None:
    return int(code) if code.isdigit() and 100 <= int(code) <= 599 else None


def _prepare(
    served: ServedSpec, operation: Operation, check: bool, resolver: Resolver
) -> OperationPlan:
    assert operation.operation_id is not None
    validator = served.validators[operation.operation_id]
    envelope = served.spec.error_envelope
    answers: list[Answer] = []
    schemas: dict[str, tuple[str, Any]] = {}
    for response in sorted(operation.responses, key=lambda r: _status_order(r.status)):
        status = _status(response.status)
        for media in response.content:
            if media.schema is not None and response.status not in schemas:
                schemas[response.status] = (media.media_type, media.schema)
            for example in media.examples:
                violations = (
                    tuple(
                        validator.validate_response(
                            status, example.value, media_type=media.media_type
                        )
                    )
                    if check
                    else ()
                )
                if violations:
                    logger.warning(
                        "%s: %s example %r does not match its schema: %s",
                        served.spec.file,
                        operation.operation_id,
                        example.name,
                        describe(violations),
                    )
                success = response.is_success and not (
                    envelope and envelope.is_error(example.value)
                )
                answers.append(
                    Answer(
                        status,
                        response.status,
                        media.media_type,
                        example.value,
                        dumps(example.value),
                        example.name,
                        violations,
                        success,
                    )
                )
        if not response.content:
            answers.append(
                Answer(status, response.status, None, ABSENT, b"", None, (), response.is_success)
            )
    default = next((a for a in answers if a.success and 200 <= a.status < 300), None)
    rejections: dict[str, tuple[Answer, ErrorChoice]] = {}
    for kind, choice in served.validation_errors.items():
        for answer in answers:
            if answer.example == choice.example and choice.status in (None, answer.response):
                rejections[kind] = (answer, choice)
                break
    body = operation.request_body
    intake = {}
    for media in body.content if body is not None else ():
        shape = shape_of(media.schema, resolver) if media.schema is not None else None
        if shape is not None:
            intake[media.media_type] = shape
    return OperationPlan(
        spec=served.name,
        operation_id=operation.operation_id,
        operation=operation,
        validator=validator,
        envelope=envelope,
        answers=tuple(answers),
        default=default,
        rejections=rejections,
        echo=served.echo.get(operation.operation_id, ()),
        state=operation.state,
        declared_media=None if body is None else tuple(m.media_type for m in body.content),
        check_responses=check,
        resolver=resolver,
        schemas=schemas,
        intake=intake,
    )


def build_plans(
    served: tuple[ServedSpec, ...], *, check_responses: bool
) -> tuple[dict[str, OperationPlan], dict[str, str]]:
    """Plans by router key (``spec:operationId``), and the id field of each resource."""

    plans: dict[str, OperationPlan] = {}
    id_fields: dict[str, str] = {}
    for entry in served:
        resolver = Resolver(entry.spec.file, dict(entry.spec.document))
        for operation in entry.spec.operations:
            plan = _prepare(entry, operation, check_responses, resolver)
            plans[operation_key(entry.name, plan.operation_id)] = plan
            state = operation.state
            if state is not None and state.action == "create" and state.id:
                id_fields[f"{entry.name}/{state.resource}"] = state.id
            if (
                state is not None
                and state.action == "list"
                and not any(echo.source == "records" for echo in plan.echo)
            ):
                raise SpecError(
                    str(entry.spec.file),
                    f"{operation.pointer}/x-state",
                    f"{plan.operation_id} lists records: x-echo must say where they go "
                    "(an entry with $records)",
                )
    return plans, id_fields
