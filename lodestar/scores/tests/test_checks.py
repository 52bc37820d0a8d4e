"""`lodestar check` refuses bad scoring settings and roll-up modes at start-up, naming the
setting."""

import os
import subprocess
import sys

import pytest


def lodestar_check(**settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lodestar", "check"],
        env={**os.environ, **settings},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_check_is_clean_with_the_default_settings():
    result = lodestar_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("OKR_RED_BELOW", "0.9", "OKR_RED_BELOW"),
        ("PACE_AT_RISK_BELOW", "0", "PACE_AT_RISK_BELOW"),
        ("ROLLUP_GREEN_FROM", "1.5", "ROLLUP_GREEN_FROM"),
    ],
)
def test_the_check_fails_naming_a_bad_setting(setting, value, named):
    result = lodestar_check(**{setting: value})
    assert result.returncode != 0
    assert named in result.stderr
    assert "lodestar.E001" in result.stderr


def test_the_check_fails_naming_an_unknown_rollup_mode():
    result = lodestar_check(ROLLUP_STRATEGY="queue")
    assert result.returncode != 0
    assert 'ROLLUP_STRATEGY must be "inline" or "queued", not "queue"' in result.stderr
    assert "lodestar.E002" in result.stderr
