"""What the production tests share: the environment of a production server."""

import os
import secrets
import sys

PYTHON = sys.executable


def production_environment(var_dir, **overrides: str) -> dict[str, str]:
    """This process's environment with the variables a deployment behind TLS sets."""
    # Without the test run's DJANGO_* variables (the browser tests allow async-unsafe calls).
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="lodestar.example.com,127.0.0.1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        SECURE_SSL_REDIRECT="true",
        SESSION_COOKIE_SECURE="true",
        CSRF_COOKIE_SECURE="true",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        LODESTAR_VAR_DIR=str(var_dir),
    )
    environment.update(overrides)
    return environment
