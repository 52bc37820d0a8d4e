"""Django's deployment checklist (`check --deploy`) passes with the production variables
of the README and fails without them."""

import subprocess

from lodestar.tests.production import PYTHON, production_environment

CHECK = [PYTHON, "-m", "lodestar", "check", "--deploy", "--fail-level", "WARNING"]


def run_check(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(CHECK, env=environment, capture_output=True, text=True, timeout=120)


def test_the_deployment_checks_pass_with_the_production_variables(tmp_path):
    result = run_check(production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_name_what_a_development_set_up_lacks(tmp_path):
    environment = production_environment(tmp_path)
    for name in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"):
        del environment[name]
    result = run_check(environment)
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012"):
        assert warning in result.stderr
