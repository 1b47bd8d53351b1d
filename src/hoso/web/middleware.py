"""Request middleware: the language choice, and a 400 page for unusable request parameters.

Language: Vietnamese unless the user picked another language.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English on
any browser installed in English. Here only the user's explicit choice (the language cookie
set by the switcher) overrides the default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from hoso.lib import query

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class BadParameterMiddleware:
    """Answers a view's `query.BadParameter` (a typed-in `?year=99999`) with 400 and the message
    saying what is expected, instead of a server error; and refuses a NUL character in any
    query parameter before a view passes it to the database. (API views turn BadParameter into
    a JSON 400 themselves: `hoso.lib.api.exception_handler`.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            query.check_text(request.GET)
        except query.BadParameter as exc:
            return self._refuse(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, query.BadParameter):
            return None
        return self._refuse(request, exception)

    def _refuse(self, request: HttpRequest, exc: query.BadParameter) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({exc.name: [str(exc)]}, status=400)
        return render(request, "web/bad_request.html", {"message": str(exc)}, status=400)
