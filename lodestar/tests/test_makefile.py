"""`make run` installs only what running needs and serves where HOST and PORT say;
`make test` brings the test tools (read from `make -n -B`: what make would run)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def planned(*arguments: str) -> str:
    return subprocess.run(
        ["make", "-n", "-B", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_installs_the_package_without_the_test_tools():
    plan = planned("run")
    assert "pip install --quiet -e .\n" in plan
    assert ".[test]" not in plan


def test_make_run_serves_on_localhost_port_8000_by_default():
    assert "runserver 127.0.0.1:8000" in planned("run")


def test_make_run_honours_host_and_port():
    assert "runserver 0.0.0.0:9000" in planned("run", "HOST=0.0.0.0", "PORT=9000")


def test_make_test_installs_the_test_tools():
    assert "pip install --quiet -e '.[test]'" in planned("test")
