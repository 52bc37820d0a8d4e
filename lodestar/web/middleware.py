"""Every request's one reader (`request.reader`): who is looking, built once from the
signed-in person and kept on them, so the services asked with `request.user` meet the same
reader. The API's token auth puts the token's person's reader here instead."""

from lodestar.org.reader import Reader


class ReaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reader = Reader.for_person(request.user)
        return self.get_response(request)
