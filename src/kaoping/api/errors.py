"""Every error leaves the API as `{"detail": "…"}` (plus `errors` for row errors), in Chinese."""

from typing import Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kaoping.errors import KaopingError, RowErrors, busy_from

# Pydantic's messages are English; these are the ones a caller of this API can meet.
_VALIDATION = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "float_parsing": "应为数字",
    "string_type": "应为文字",
    "greater_than_equal": "不能小于 {ge}",
    "json_invalid": "不是合法的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
}


def _field_error(error: dict[str, Any]) -> str:
    source, *parts = error.get("loc", ()) or ("",)
    if source == "body" and len(parts) > 1:
        parts = parts[1:]  # drop the view's parameter name ("payload"): callers know only the JSON keys
    where = ".".join(str(part) for part in parts) or "请求内容"
    template = _VALIDATION.get(error.get("type", ""))
    text = template.format(**error.get("ctx", {})) if template else error.get("msg", "不合法")
    return f"{where}: {text}"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    # One handler: the HTTP status is the error class's own (kaoping/errors.py).
    api.add_exception_handler(KaopingError, lambda request, exc: respond(request, exc.http_status, str(exc)))

    def row_errors(request: HttpRequest, exc: RowErrors) -> HttpResponse:
        detail = f"{exc.source}：发现 {len(exc.errors)} 处错误，未导入任何数据"
        return respond(request, 400, detail, errors=exc.errors)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [_field_error(e) for e in exc.errors]
        return respond(request, 400, "请求内容有误：" + "；".join(errors), errors=errors)

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = (
            str(exc) if exc.message != "Unauthorized" else "请先登录，或在 Authorization 头中提供接口令牌"
        )
        return respond(request, 401, detail)

    api.add_exception_handler(RowErrors, row_errors)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(AuthenticationError, unauthenticated)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if detail.startswith("Cannot parse request body"):
            detail = "请求内容不是合法的 JSON；请以 Content-Type: application/json 发送"
        return respond(request, exc.status_code, detail)

    api.add_exception_handler(HttpError, http_error)

    def database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        busy = busy_from(exc)
        if busy is None:
            raise exc  # a real failure: the server's own 500, logged with its traceback
        response = respond(request, busy.http_status, str(busy))
        response["Retry-After"] = "1"
        return response

    api.add_exception_handler(OperationalError, database_busy)
    api.add_exception_handler(Http404, lambda request, exc: respond(request, 404, "没有这个接口或对象"))
