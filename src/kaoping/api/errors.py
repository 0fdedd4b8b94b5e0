"""Every error leaves the API as `{"detail": "…"}` (plus `errors` for row errors), in Chinese.

400: the request does not match the published schema (OpenAPI); 422: it does, but a rule of the year refuses
it (a score above the item's points, a file with row errors); 401, 403, 404 and 409 as their names say. What
does not reach these handlers (an unknown path, a method no operation takes) is JSON too (middleware.py).
"""

from typing import Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kaoping.errors import KaopingError, RowErrors, busy_from

from .schemas import ADJUSTMENT_PATTERN, ITEM_ID, NO_NUL, SOME_TEXT, UNIT_CODE

RULE_REFUSED = 422

# What each pattern of schemas.py asks for, in words.
_PATTERNS = {
    NO_NUL: "不能含有 NUL 字符（\\x00）",
    SOME_TEXT: "必填，不能只有空格，不能含有 NUL 字符（\\x00）",
    UNIT_CODE: "应为六位数字的单位代码，如 430902",
    ITEM_ID: "应为细则条目编号，如 1.2",
    ADJUSTMENT_PATTERN: "应为加分项或扣分项编号（字母开头，不超过 10 个字母或数字），如 J1",
}

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
    "less_than_equal": "不能大于 {le}",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "string_pattern_mismatch": "格式不对，应符合 {pattern}",
    "string_too_short": "不能为空",
    "date_parsing": "应为日期，如 2017-06-01",
    "date_from_datetime_parsing": "应为日期，如 2017-06-01",
    "date_type": "应为日期，如 2017-06-01",
    "json_invalid": "不是合法的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
}


def _field_error(error: dict[str, Any]) -> str:
    source, *parts = error.get("loc", ()) or ("",)
    if source == "body":
        parts = parts[1:]  # drop the view's parameter name ("payload"): callers know only the JSON keys
    where = ".".join(str(part) for part in parts) or "请求内容"
    kind, ctx = error.get("type", ""), error.get("ctx", {})
    template = _VALIDATION.get(kind)
    if kind == "value_error":  # our own validators (schemas.py) give Chinese reasons
        text = str(ctx.get("error", error.get("msg", "不合法")))
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
        text = _PATTERNS[ctx["pattern"]]
    elif kind == "literal_error":  # pydantic's "'a', 'b' or 'c'"
        text = "应为以下之一：" + str(ctx.get("expected", "")).replace("' or '", "', '").replace("'", "")
    else:
        text = template.format(**ctx) if template else error.get("msg", "不合法")
    return f"{where}: {text}"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"detail": detail, **extra}, status=status)

    # One handler: the HTTP status is the error class's own (kaoping/errors.py), but for the plain
    # KaopingError: the pages' 400 is a refusal of a request the schema allows, here 422.
    def refused(request: HttpRequest, exc: KaopingError) -> HttpResponse:
        status = RULE_REFUSED if exc.http_status == 400 else exc.http_status
        return respond(request, status, str(exc))

    api.add_exception_handler(KaopingError, refused)

    def row_errors(request: HttpRequest, exc: RowErrors) -> HttpResponse:
        detail = f"{exc.source}：发现 {len(exc.errors)} 处错误，未导入任何数据"
        return respond(request, RULE_REFUSED, detail, errors=exc.errors)

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
