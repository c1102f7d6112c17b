"""The command line: --help, one-line errors with exit code 2, --check, a real start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from mockserver.cli import main, parse_settings
from tests.conftest import REPO, SPECS
from tests.mockserver._server import free_port


def test_help_explains_everything(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for word in (
        "--port",
        "--spec",
        "--seed",
        "--state",
        "--dynamic",
        "--delay",
        "--reload",
        "--quiet",
        "--no-cors",
        "Prefer",
        "__code",
        "/__mock/reset",
        "--max-body",
    ):
        assert word in text


def test_bad_flag_is_one_line_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--port", "99999"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--port" in err


def test_broken_spec_is_one_line_exit_2(tmp_path, capsys) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: [\n", encoding="utf-8")
    assert main(["--spec", str(broken), "--check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "broken.yaml" in err[0]
    assert "YAML" in err[0]


def test_missing_spec_and_unshareable_state_are_exit_2(capsys) -> None:
    assert main(["--spec", "nope.yaml", "--check"]) == 2
    assert main(["--specs-dir", str(SPECS), "--workers", "2", "--check"]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml" in err
    assert "--state FILE" in err


def test_check_lists_every_spec(capsys) -> None:
    assert main(["--specs-dir", str(SPECS), "--check", "--quiet"]) == 0
    out = capsys.readouterr().out
    for name in ("tencent-ivc", "jdcloud-live", "tencent-live", "vcs-compute"):
        assert name in out


def test_settings_from_flags() -> None:
    settings, check = parse_settings(
        [
            "--spec",
            "a.yaml",
            "--spec",
            "b.yaml",
            "--seed",
            "3",
            "--no-state",
            "--delay",
            "20",
            "--cors-origin",
            "http://x",
        ]
    )
    assert [str(p) for p in settings.specs] == ["a.yaml", "b.yaml"]
    assert (settings.seed, settings.state, settings.delay_ms) == (3, False, 20)
    assert settings.cors_origins == ("http://x",)
    assert not check


def test_the_main_command_starts_and_answers() -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "--port", str(port), "--quiet"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/ivc/record/retrievetasklsit/query"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert process.poll() is None, (
                    process.stderr.read().decode() if process.stderr else ""
                )
                assert time.monotonic() - started < 15, "no answer within 15 s"
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def test_the_command_line_leaves_out_the_extras_it_does_not_use() -> None:
    probe = (
        "import sys\n"
        "import mockserver\n"
        "assert 'connexion' not in sys.modules\n"
        "from mockserver.cli import main\n"
        "assert main(['--check', '--quiet']) == 0\n"
        "print('flask' in sys.modules, 'httpx._main' in sys.modules, 'connexion' in sys.modules)\n"
        "import importlib.util\n"
        "print(all(importlib.util.find_spec(n) is None or importlib.import_module(n)\n"
        "          for n in ('flask', 'httpx._main')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[-4:] == ["False", "False", "True", "True"]
