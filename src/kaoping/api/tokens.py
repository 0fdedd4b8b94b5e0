"""Creating, revoking and checking API tokens. A token is shown once; only its SHA-256 is kept."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.errors import KaopingError, Refused
from kaoping.org.policy import Action, policy_check

from .models import ApiToken

TOKEN_PREFIX = "kp_"
# Recording every use would turn each read into a write; a minute's precision is enough to audit use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def token_digest(plaintext: str) -> str:
    # 256 random bits need no slow hash: nobody can guess a preimage, and a lookup stays one index probe.
    return hashlib.sha256(plaintext.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str, actor: AbstractBaseUser | None = None) -> str:
    """A new token acting as `user`; returns the plaintext, which is not stored and cannot be shown again."""
    policy_check(actor, Action.ACCOUNTS_MANAGE)
    name = name.strip()
    if not name:
        raise KaopingError("令牌名称不能为空，请说明用途，如“卫片平台”")
    if not user.is_active:
        raise Refused(f"用户 {user.get_username()} 已停用，不能为其创建令牌")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=plaintext[:10], digest=token_digest(plaintext)
        )
        audit_record(
            actor=actor,
            action="api_token_create",
            new={"user": user.get_username(), "name": name, "prefix": token.prefix},
        )
    return plaintext


def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | None = None) -> ApiToken:
    """Stop a token from working; the row stays as a record of who had access."""
    policy_check(actor, Action.ACCOUNTS_MANAGE)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token_revoke",
            old={"user": token.user.get_username(), "name": token.name, "prefix": token.prefix},
        )
    return token


def api_token_user(plaintext: str) -> AbstractBaseUser | None:
    """The active user a live token stands for, or None; notes when the token was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(plaintext), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
