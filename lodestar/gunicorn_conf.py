"""gunicorn's settings for Lodestar: `gunicorn -c python:lodestar.gunicorn_conf`.

HOST and PORT (0.0.0.0:8000) say where to listen, WEB_CONCURRENCY how many worker processes
(default two per CPU plus one). The access log goes to stdout, one line a request with its
X-Request-ID; with LOG_FORMAT=json gunicorn's own lines are JSON objects like Django's."""

import multiprocessing
import os

from lodestar.request_log import ACCESS_LOG_ATOM, JSON_FORMATTER

wsgi_app = "lodestar.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
errorlog = "-"
# gunicorn's control socket sits in the home directory, where several servers on one host
# would share it; Lodestar does not use it.
control_socket_disable = True
access_log_format = f'%(h)s "%(r)s" %(s)s %(b)s %(M)sms %({ACCESS_LOG_ATOM})s'

if os.environ.get("LOG_FORMAT") == "json":
    access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

    def handler(stream: str) -> dict:
        return {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{stream}",
            "formatter": "json",
            "filters": ["request_id"],
        }

    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "lodestar.request_log.RequestIdFilter"}},
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {"access": handler("stdout"), "error": handler("stderr")},
        "root": {"handlers": ["error"], "level": "WARNING"},  # until Django sets its own
        "loggers": {
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        },
    }
