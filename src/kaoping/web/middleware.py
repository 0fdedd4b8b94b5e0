"""Errors a person can act on become a page with the Chinese reason and the matching status."""

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaoping.errors import KaopingError, busy_from


class KaopingErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, DatabaseError):
            exception = busy_from(exception) or exception  # a lock not obtained in time: 503, try again
        if not isinstance(exception, KaopingError):
            return None
        status = exception.http_status
        template = "web/partials/error_inline.html" if request.headers.get("HX-Request") else "web/error.html"
        return render(request, template, {"status": status, "reason": str(exception)}, status=status)


class ContentSecurityPolicyMiddleware:
    """Every response carries settings.CONTENT_SECURITY_POLICY (no inline script anywhere: our scripts are
    static files reading json_script data); a view that sets its own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
