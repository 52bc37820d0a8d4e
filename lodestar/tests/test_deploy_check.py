"""Django's deployment checklist (`check --deploy`) passes with the production variables
of the README and fails without them."""

import os
import secrets
import shlex
import subprocess
from pathlib import Path

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


def readme_production_variables() -> dict[str, str]:
    """The variables the README's Production block exports, exactly as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("## Production", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    export = block.split("export ", 1)[1].replace("\\\n", " ").split("\n", 1)[0]
    return dict(word.split("=", 1) for word in shlex.split(export))


def test_the_readmes_production_block_passes_the_deployment_checks_as_written(tmp_path):
    variables = readme_production_variables()
    # The one thing a test cannot take as written: the file behind SECRET_KEY_FILE.
    secret_file = tmp_path / "secret"
    secret_file.write_text(secrets.token_urlsafe(64))
    variables["SECRET_KEY_FILE"] = str(secret_file)
    # Nothing else of this process's environment: the README's variables alone.
    environment = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **variables}
    result = run_check(environment)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
