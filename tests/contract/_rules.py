"""The ``x-rules`` of a response schema, judged by the reference evaluator (cel-python).

`generator.rules` is the slow, obviously-correct CEL interpreter the linter uses; judging the
answers with it, not with the generated code, keeps a bug in the generated validators from
hiding a broken rule (the generated validators are check 3).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from generator.model import Operation, Response
from generator.reference import ReferenceValidator
from generator.resolver import Resolver
from generator.rules import check_rules, iter_schema_rules
from tests.contract._contract import Contract

__all__ = ["declared_response", "response_rule_failures"]


def declared_response(operation: Operation, status: int) -> Response | None:
    """The response declared for ``status``: exact, then ``2XX``-style, then ``default``."""
    by_status = {response.status.upper(): response for response in operation.responses}
    text = str(status)
    return by_status.get(text) or by_status.get(text[0] + "XX") or by_status.get("DEFAULT")


@functools.cache
def _tools(contract: Contract) -> tuple[Resolver, ReferenceValidator]:
    document = dict(contract.spec.document)
    return Resolver(contract.path, document), ReferenceValidator(contract.path, document)


def response_rule_failures(
    contract: Contract,
    operation: Operation,
    status: int,
    media_type: str | None,
    body: Any,
    *,
    now: int,
) -> list[str]:
    """``pointer: message`` of every x-rule of the declared answer that does not hold."""
    response = declared_response(operation, status)
    if response is None:
        return []
    media = next((m for m in response.content if m.media_type == media_type), None)
    if media is None or media.schema is None:
        return []
    resolver, reference = _tools(contract)

    def deref(schema: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
        value, where = resolver.deref(schema, contract.path, pointer)
        return value, where

    def branch_valid(pointer: str, instance: Any) -> bool:
        return reference.is_valid(pointer, instance, "response")

    failures = []
    file = str(contract.path)
    for rules, instance, where in iter_schema_rules(
        media.schema,
        body,
        schema_pointer=media.schema_pointer,
        deref=deref,
        branch_valid=branch_valid,
        file=file,
    ):
        for failure in check_rules(rules, instance, now=now, file=file, pointer=where):
            failures.append(f"{failure.instance_pointer or '/'}: {failure.reason}")
    return failures
