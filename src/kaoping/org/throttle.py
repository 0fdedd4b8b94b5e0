"""Login throttling: too many failures for one user name from one address, or from one address at all.

Failures are stored in the database, so every worker process sees the same count.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kaoping.errors import Refused

from .models import LoginFailure


def _limits() -> tuple[int, int, datetime.timedelta]:
    per_user = getattr(settings, "LOGIN_THROTTLE_FAILURES", 5)
    per_address = getattr(settings, "LOGIN_THROTTLE_ADDRESS_FAILURES", 30)
    window = datetime.timedelta(seconds=getattr(settings, "LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60))
    return per_user, per_address, window


def _normalise(username: str) -> str:
    return username.strip().lower()[:150]


def login_throttle_check(*, username: str, ip: str | None) -> None:
    """Raise Refused when this user name from this address (or this address) failed too often lately."""
    per_user, per_address, window = _limits()
    since = timezone.now() - window
    recent = LoginFailure.objects.filter(at__gte=since, ip=ip)
    for failures, limit in (
        (recent.filter(username=_normalise(username)), per_user),
        (recent, per_address),
    ):
        if failures.count() >= limit:
            oldest = failures.order_by("-at").values_list("at", flat=True)[limit - 1]
            retry = timezone.localtime(oldest + window)
            minutes = int(window.total_seconds() // 60)
            raise Refused(
                f"登录失败次数过多（{minutes} 分钟内 {limit} 次），已暂停登录；请于 {retry:%H:%M} 后再试，"
                "或联系管理员重置密码"
            )


def login_failure_record(*, username: str, ip: str | None) -> None:
    """Count one failure, and forget failures older than the window."""
    _, _, window = _limits()
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=timezone.now() - window).delete()
        LoginFailure.objects.create(username=_normalise(username), ip=ip)


def login_failures_clear(*, username: str, ip: str | None) -> None:
    """A successful login forgets this user name's failures from this address."""
    LoginFailure.objects.filter(username=_normalise(username), ip=ip).delete()
