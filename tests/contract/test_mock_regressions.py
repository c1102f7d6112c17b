"""Contract violations this suite found in the mock server, fixed there and pinned here.

Fuzzing meets these inputs only by chance (an extra field that happens to be named like an
answer's field; a line feed in a path parameter), so each one is asked for on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import SPECS
from tests.contract._calls import documented_request, send
from tests.contract._target import Target, in_process


@pytest.fixture
def mock(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A mock of its own: these tests leave records the shared target must not see."""
    if request.config.getoption("planted", None) or request.config.getoption("base_url", None):
        pytest.skip("regressions of the mock server; the target is another implementation")
    from mockserver import Settings, create_app

    app = create_app(Settings(quiet=True, specs_dir=SPECS, cors=False))
    yield in_process("mock", app)
    app.store.close()


def test_mock_routes_a_path_parameter_holding_a_line_feed(mock: Target) -> None:
    request = documented_request("jdcloud-live", "addLiveRecordTask")
    request["path_parameters"]["appName"] = "your%0Aapp"
    request["body"].pop("appName")
    # Was: 404 "no operation of the served specs is ..." (Starlette's Mount pattern, '.*').
    found = send(mock, "jdcloud-live", "addLiveRecordTask", **request, repair=False, check=False)
    assert found.verdict.valid, found.verdict.reasons
    assert found.success, found.summary()


def test_mock_does_not_echo_undeclared_fields_into_the_answer(mock: Target) -> None:
    # Was: Data.Status "x" and Data.Capacity "lots" (x-echo '/Data: $record' merged the whole
    # stored body), breaking the answer's schema; `send` checks the answer against the spec.
    request = documented_request("tencent-ivc", "createRetrieveTask")
    request["body"].update(Status="x", Capacity="lots")
    found = send(mock, "tencent-ivc", "createRetrieveTask", **request)
    assert found.success, found.summary()
    assert found.answer.body["Data"]["Status"] in (0, 1, 2)
    assert "x-mock-response-violations" not in found.answer.headers
