"""Write the starter templates (lodestar/exchange/starters.py) as workbooks in the import
layout into lodestar/exchange/templates/. Run after changing the data:

    .venv/bin/python scripts/build_starters.py
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lodestar.settings")
django.setup()

from lodestar.exchange.exporter import xlsx_bytes  # noqa: E402
from lodestar.exchange.starters import STARTERS, starter_rows  # noqa: E402
from lodestar.exchange.template import STARTERS as FOLDER  # noqa: E402

for name in STARTERS:
    (FOLDER / f"{name}.xlsx").write_bytes(xlsx_bytes(starter_rows(name)))
    print(f"wrote {FOLDER / name}.xlsx")
