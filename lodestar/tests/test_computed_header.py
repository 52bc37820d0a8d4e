"""`X-Lodestar-Computed`: a read that computed a kept figure says so on its response (how the
Monday-morning bench tells cold reads from warm ones); a read served from the kept row does
not, and neither does a request outside the pages that keep figures."""

from django.test import Client

from lodestar.computed import HEADER


def test_the_first_read_computes_and_says_so_the_next_one_reads_the_kept_figure(world):
    client = Client()
    client.force_login(world.admin)
    first = client.get("/alignment/")
    assert first.status_code == 200
    assert int(first.headers[HEADER]) >= 1
    again = client.get("/alignment/")
    assert again.status_code == 200
    assert HEADER not in again.headers
    assert HEADER not in client.get("/login/").headers
