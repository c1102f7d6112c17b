"""The mock server's known contract violations, pinned (see `tests.contract._mock_bugs`).

Each test states what the contract demands and fails today, so it is a strict ``xfail``: the
day the mock is fixed it passes, the run fails (XPASS), and the workaround must go.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import SPECS
from tests.contract._calls import documented_request, send
from tests.contract._mock_bugs import MOCK_BUGS
from tests.contract._target import Target, in_process


@pytest.fixture
def mock(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A mock of its own: these tests leave records the shared target must not see."""
    if request.config.getoption("planted", None) or request.config.getoption("base_url", None):
        pytest.skip("pins bugs of the mock server; the target is another implementation")
    from mockserver import Settings, create_app

    app = create_app(Settings(quiet=True, specs_dir=SPECS, cors=False))
    yield in_process("mock", app)
    app.store.close()


@pytest.mark.xfail(strict=True, reason=MOCK_BUGS["path-line-feed"])
def test_mock_routes_a_path_parameter_holding_a_line_feed(mock: Target) -> None:
    request = documented_request("jdcloud-live", "addLiveRecordTask")
    request["path_parameters"]["appName"] = "your%0Aapp"
    request["body"].pop("appName")
    found = send(mock, "jdcloud-live", "addLiveRecordTask", **request, repair=False, check=False)
    assert found.verdict.valid, found.verdict.reasons
    assert found.success, found.summary()


@pytest.mark.xfail(strict=True, reason=MOCK_BUGS["ivc-echo-undeclared"])
def test_mock_does_not_echo_undeclared_fields_into_the_answer(mock: Target) -> None:
    request = documented_request("tencent-ivc", "createRetrieveTask")
    request["body"].update(Status="x", Capacity="lots")
    send(mock, "tencent-ivc", "createRetrieveTask", **request)
