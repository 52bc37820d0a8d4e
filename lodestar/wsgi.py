"""The WSGI application, set up once a process: Django, then every view imported (the URL
conf), then the objects that exist by now moved out of the garbage collector's sight.

Those objects (modules, classes, the URL conf, settings) live as long as the process. Left
in the collector's oldest generation, every full collection walks them again. A request
that reads a kept figure (7,000 alerts at 10,000 people) triggers such collections, which
made up half of its time: the alerts API took 201 ms median with them and 90 ms without
them, and the alignment page 318 ms and 188 ms."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view now, not at the first request
gc.freeze()
