"""Who is calling: a bearer token (other systems) or the browser's Django session (with CSRF)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .tokens import api_token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kp_…`, created with `kaoping token create USERNAME --name NAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            # Stop here rather than fall through to the session: a bad token is the caller's real problem.
            raise AuthenticationError(401, "接口令牌无效、已吊销或其用户已停用")
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods must carry the CSRF token, as Django's forms do."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None  # anonymous: 401, whatever the method
        if self.csrf and check_csrf(request) is not None:
            raise HttpError(403, "CSRF 校验失败：请刷新页面后重试；其他系统调用接口请使用令牌（Bearer）")
        return request.user


AUTH = [TokenAuth(), SessionAuth(csrf=True)]
