"""Errors a person can act on become a page with the Chinese reason and the matching status."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaoping.errors import KaopingError


class KaopingErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, KaopingError):
            return None
        status = exception.http_status
        template = "web/partials/error_inline.html" if request.headers.get("HX-Request") else "web/error.html"
        return render(request, template, {"status": status, "reason": str(exception)}, status=status)
