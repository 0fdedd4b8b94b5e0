"""Everything under /api/ answers JSON, errors included: an error response that is not JSON by the time it
leaves Django (the URL resolver's 404 for a path that names no operation, ninja's 405, Django's own 400 for
an oversized request, a 500) is given the API's error body `{"detail": "…"}` with its status and headers."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

API_PREFIX = "/api/"
JSON = "application/json; charset=utf-8"


def api_error_detail(request: HttpRequest, response: HttpResponseBase) -> str:
    """The Chinese reason for an error the API's own handlers did not answer (errors.py answers the rest)."""
    where = f"{request.method} {request.path}"
    status = response.status_code
    if status == 404:
        return f"没有这个接口或对象：{where}；接口列表见 /api/docs"
    if status == 405:
        allowed = response.headers.get("Allow", "")
        return f"{request.path} 不支持 {request.method} 方法；可用：{allowed}"
    if status == 400:
        return "请求不合法：请求内容过大、请求头或请求格式有误"
    if status == 403:
        return "拒绝访问：请登录，修改类请求需带 CSRF 令牌；其他系统请使用接口令牌（Bearer）"
    if status == 413:
        return "请求内容过大"
    if status >= 500:
        return "服务器内部错误，已记入日志；请稍后重试，或联系系统管理员"
    return f"请求未能完成（HTTP {status}）"


class ApiJsonErrorsMiddleware:
    """Outermost but for SecurityMiddleware, so it sees the responses of every other layer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and isinstance(response, HttpResponse)
            and not response.headers.get("Content-Type", "").startswith("application/json")
        ):
            # Changed in place: the headers other layers set (Allow, Content-Security-Policy, …) stay.
            response.content = json.dumps({"detail": api_error_detail(request, response)}).encode()
            response.headers["Content-Type"] = JSON
            if response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
        return response
