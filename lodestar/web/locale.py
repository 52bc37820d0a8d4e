"""Each request in its reader's time zone and language: the signed-in person's own
(org.preferences), else the installation's time zone and the browser's language
(Accept-Language), else LANGUAGE_CODE. Dates on pages then read in the person's zone."""

from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from lodestar.org.preferences import languages, zone_of


class PersonLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = request.user if request.user.is_authenticated else None
        zone = zone_of(person) if person is not None else None
        if zone is not None:
            timezone.activate(zone)
        own = person.language if person is not None else ""
        language = own if own in languages() else translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
            translation.deactivate()
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
