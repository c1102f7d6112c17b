"""The planted implementation: the four APIs as a small Starlette app, with optional bugs.

Written from the specs by hand, independent of ``mockserver/`` and ``validators/``: requests
are judged by `tests.contract.planted.checks`, records live in dicts. `create_app(bug)` plants
one bug (see `tests.contract.planted.VARIANTS`); ``"clean"`` plants none, and must pass the
whole contract suite.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.contract.planted import checks

Handler = Callable[[Request], Awaitable[Response]]


class Unreadable(Exception):
    """A body no check can read (missing, not JSON, wrong Content-Type)."""


def answer(body: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(json.dumps(body, ensure_ascii=True), status, media_type=media_type)


def _constant(name: str) -> Any:
    raise ValueError(name)


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(text)
    return value


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise Unreadable("a body is required")
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind != "application/json":
        raise Unreadable(f"Content-Type {kind or 'missing'}")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_constant, parse_float=_finite)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise Unreadable(f"not JSON: {exc}") from None


def request_id() -> str:
    return str(uuid.uuid4())


class Planted:
    """The four APIs; ``bug`` names the planted bug (``clean``: none)."""

    def __init__(self, bug: str) -> None:
        self.bug = bug
        self.ivc_tasks: dict[str, dict[str, Any]] = {}
        self.vcs_tasks: dict[str, dict[str, Any]] = {}

    # -- Tencent IVC --------------------------------------------------------------------------

    def ivc_error(self, status: int, message: str) -> Response:
        wire = 422 if self.bug == "wrong-status" and status == 400 else status
        body = {"RequestId": request_id(), "Code": 500, "StatusCode": status, "Message": message}
        return answer(body, wire)

    def ivc_task(self, task: dict[str, Any]) -> dict[str, Any]:
        view = {
            key: task[key]
            for key in ("TaskId", "TaskName", "StartTime", "EndTime", "Mode", "Expiration")
        }
        view.update(Status=1, Capacity=0.0)
        if self.bug == "wrong-type":
            view["Expiration"] = str(view["Expiration"])
        return view

    async def ivc_create(self, request: Request) -> Response:
        try:
            body = await json_body(request)
        except Unreadable as exc:
            return self.ivc_error(400, f"invalid parameter: {exc}")
        problems = checks.IVC_CREATE(body, "")
        if self.bug == "unvalidated-input":
            problems = [p for p in problems if not p.startswith("/Expiration: above")]
        problems = problems or checks.ivc_rules(body)
        if problems:
            return self.ivc_error(400, "invalid parameter: " + "; ".join(problems))
        name = body["TaskName"]
        taken = any(task["TaskName"] == name for task in self.ivc_tasks.values())
        if taken and self.bug != "state-unique":
            return self.ivc_error(409, f"TaskName already exists: {name}")
        task = dict(body, TaskId=uuid.uuid4().hex)
        self.ivc_tasks[task["TaskId"]] = task
        envelope = {"RequestId": request_id(), "Code": 0, "StatusCode": 200, "Message": "ok"}
        return answer({**envelope, "Data": self.ivc_task(task)})

    async def ivc_list(self, request: Request) -> Response:
        tasks = [] if self.bug == "state-list" else list(self.ivc_tasks.values())
        envelope = {"RequestId": request_id(), "Code": 0, "StatusCode": 200, "Message": "ok"}
        return answer({**envelope, "Data": [self.ivc_task(task) for task in tasks]})

    # -- Tencent Live -------------------------------------------------------------------------

    def tencent_error(self, code: str, message: str) -> Response:
        status = 400 if self.bug == "tencent-http-error" else 200
        body = {
            "Response": {"RequestId": request_id(), "Error": {"Code": code, "Message": message}}
        }
        return answer(body, status)

    def tencent_created(self) -> Response:
        return answer({"Response": {"RequestId": request_id(), "TaskId": uuid.uuid4().hex}})

    def tencent_rules(self, values: dict[str, Any]) -> list[str]:
        return checks.tencent_rules(values, int(time.time()), week=self.bug != "unvalidated-rule")

    async def tencent_post(self, request: Request) -> Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        headers = {
            name: checks.decimal(value) if name in checks.TENCENT_INTEGERS else value
            for name, value in headers.items()
        }
        try:
            body = await json_body(request)
        except Unreadable as exc:
            return self.tencent_error("InvalidRequest", str(exc))
        problems = checks.TENCENT_HEADERS(headers, "header") + checks.TENCENT_BODY(body, "")
        problems = problems or self.tencent_rules(body)
        if problems:
            return self.tencent_error("InvalidParameter", "; ".join(problems))
        return self.tencent_created()

    async def tencent_get(self, request: Request) -> Response:
        query: dict[str, Any] = {}
        for name, value in parse_qsl(request.url.query, keep_blank_values=True):
            query.setdefault(
                name, checks.decimal(value) if name in checks.TENCENT_INTEGERS else value
            )
        declared = checks.TENCENT_QUERY(query, "query")
        problems = [p for p in declared if "unknown field" not in p]
        problems = problems or self.tencent_rules(query)
        if problems:
            return self.tencent_error("InvalidParameter", "; ".join(problems))
        return self.tencent_created()

    # -- JD Cloud Live ------------------------------------------------------------------------

    def jd_error(self, status: int, name: str, message: str) -> Response:
        if self.bug == "out-of-enum" and status == 400:
            name = "BAD_ARGUMENT"
        body = {
            "requestId": uuid.uuid4().hex,
            "error": {"code": status, "status": name, "message": message},
        }
        return answer(body, status)

    async def jd_add(self, request: Request) -> Response:
        try:
            body = await json_body(request)
        except Unreadable as exc:
            return self.jd_error(400, "INVALID_ARGUMENT", str(exc))
        path = dict(request.path_params)
        problems = checks.JD_BODY(body, "") or checks.jd_rules(body, path)
        if problems:
            return self.jd_error(400, "INVALID_ARGUMENT", "; ".join(problems))
        if self.bug == "server-error" and len(body["recordTimes"]) == 10:
            return self.jd_error(500, "INTERNAL", "Internal server error")
        return answer({"requestId": uuid.uuid4().hex})

    # -- VCS compute tasks --------------------------------------------------------------------

    def vcs_error(self, status: int, message: str) -> Response:
        return answer({"Code": str(status), "Message": message}, status)

    def vcs_done(self, data: Any = None, media_type: str = "application/json") -> Response:
        body: dict[str, Any] = {"Code": "0", "Message": "SUCCESS"}
        if data is not None:
            body["Data"] = data
        return answer(body, media_type=media_type)

    async def vcs_body(self, request: Request, check: checks.Check) -> tuple[Any, Response | None]:
        try:
            body = await json_body(request)
        except Unreadable as exc:
            return None, self.vcs_error(400, f"invalid parameter: {exc}")
        problems = check(body, "")
        if (
            self.bug == "valid-rejected"
            and isinstance(body, dict)
            and "description" in body
            and body["description"] is None
        ):
            problems.append("/description: null")
        if problems:
            return None, self.vcs_error(400, "invalid parameter: " + "; ".join(problems))
        return body, None

    async def vcs_create(self, request: Request) -> Response:
        body, refused = await self.vcs_body(request, checks.VCS_CREATE)
        if refused is not None:
            return refused
        key = uuid.uuid4().hex
        self.vcs_tasks[key] = dict(body, taskId=key, taskStatus="OFFLINED")
        if self.bug == "missing-field":
            return self.vcs_done({})
        return self.vcs_done({"taskId": key})

    def vcs_find(self, body: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any] | None:
        given = [name for name in names if body.get(name) is not None]
        if not given:
            return None
        name = given[0]
        return next(
            (task for task in self.vcs_tasks.values() if task.get(name) == body[name]), None
        )

    async def vcs_modify(self, request: Request) -> Response:
        body, refused = await self.vcs_body(request, checks.VCS_MODIFY)
        if refused is not None:
            return refused
        task = self.vcs_find(body, ("taskId", "name"))
        if task is None:
            return self.vcs_error(404, "no such compute task")
        if body["name"] != task["name"] or body["execType"] != task["execType"]:
            return self.vcs_error(400, f"name cannot be modified: task {task['taskId']}")
        task.update({k: v for k, v in body.items() if k not in ("taskId", "name")})
        return self.vcs_done({"taskId": task["taskId"]})

    async def vcs_set_status(self, request: Request, status: str) -> Response:
        body, refused = await self.vcs_body(request, checks.VCS_TASK)
        if refused is not None:
            return refused
        task = self.vcs_find(body, ("taskId",))
        if task is None or (self.bug == "state-lookup" and status == "ONLINED"):
            return self.vcs_error(404, "no such compute task")
        if self.bug != "state-status":
            task["taskStatus"] = status
        return self.vcs_done()

    async def vcs_start(self, request: Request) -> Response:
        return await self.vcs_set_status(request, "ONLINED")

    async def vcs_stop(self, request: Request) -> Response:
        return await self.vcs_set_status(request, "OFFLINED")

    async def vcs_get(self, request: Request) -> Response:
        body, refused = await self.vcs_body(request, checks.VCS_TASKS)
        if refused is not None:
            return refused
        found = [
            {"taskId": key, "taskStatus": self.vcs_tasks[key]["taskStatus"]}
            for key in body["taskIds"]
            if key in self.vcs_tasks
        ]
        kind = "text/plain" if self.bug == "wrong-content-type" else "application/json"
        return self.vcs_done(found, media_type=kind)

    def routes(self) -> list[Route]:
        vcs = "/vcs/console/task/"
        return [
            Route("/ivc/record/retrievetask/add", self.ivc_create, methods=["POST"]),
            Route("/ivc/record/retrievetasklsit/query", self.ivc_list, methods=["GET"]),
            Route("/", self.tencent_post, methods=["POST"]),
            Route("/", self.tencent_get, methods=["GET"]),
            Route(
                "/v1/records/{publishDomain}/appNames/{appName}/streamNames/{streamName}/task",
                self.jd_add,
                methods=["POST"],
            ),
            Route(vcs + "createComputeTask", self.vcs_create, methods=["POST"]),
            Route(vcs + "modifyComputeTask", self.vcs_modify, methods=["POST"]),
            Route(vcs + "startComputeTask", self.vcs_start, methods=["POST"]),
            Route(vcs + "stopComputeTask", self.vcs_stop, methods=["POST"]),
            Route(vcs + "getComputeTasks", self.vcs_get, methods=["POST"]),
        ]


def build(bug: str) -> Starlette:
    return Starlette(routes=Planted(bug).routes())
