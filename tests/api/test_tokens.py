"""Bearer tokens (created once, stored hashed, revocable) and the session's CSRF protection."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from kaoping.api.models import ApiToken
from kaoping.api.tokens import api_token_create, api_token_revoke
from kaoping.audit.models import AuditEvent
from kaoping.cli import main

from .conftest import OWNED_ITEM, YEAR, ZY

SELF_URL = f"/api/campaigns/{YEAR}/units/{ZY}/items/{OWNED_ITEM}/self"


def _bearer(token: str, **kwargs) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_a_token_acts_as_its_user_and_is_stored_only_as_a_hash(self_year, people, token):
    response = _bearer(token).get("/api/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "zy_filler",
        "full_name": "",
        "role": "filler",
        "role_label": "区县填报员",
        "unit": {"code": ZY, "name": "资阳区"},
        "department": None,
    }
    stored = ApiToken.objects.get()
    assert token not in {stored.digest, stored.prefix, stored.name} and len(stored.digest) == 64
    assert token.startswith(stored.prefix) and stored.last_used_at is not None
    assert AuditEvent.objects.filter(action="api_token_create", new__name="资阳区对接").count() == 1


def test_a_revoked_token_no_longer_works(self_year, token):
    client = _bearer(token)
    assert client.get("/api/campaigns").status_code == 200
    api_token_revoke(token=ApiToken.objects.get())
    response = client.get("/api/campaigns")
    assert response.status_code == 401
    assert response.json() == {"detail": "接口令牌无效、已吊销或其用户已停用"}
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == 1


def test_a_wrong_token_or_an_inactive_user_is_401_even_with_a_session(self_year, people, token):
    client = _bearer("kp_" + "x" * 43)
    client.force_login(people["group"])  # a bad token is not rescued by a session
    assert client.get("/api/me").status_code == 401
    people["filler_own"].is_active = False
    people["filler_own"].save()
    assert _bearer(token).get("/api/me").status_code == 401


def test_no_credentials_is_401_in_chinese(self_year):
    response = Client().get("/api/campaigns")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录，或在 Authorization 头中提供接口令牌"}


def test_only_an_administrator_creates_tokens(people):
    from kaoping.errors import KaopingError, Refused

    with pytest.raises(Refused):
        api_token_create(user=people["group"], name="自己建的", actor=people["group"])
    with pytest.raises(KaopingError, match="令牌名称不能为空"):
        api_token_create(user=people["group"], name="  ")
    assert api_token_create(user=people["group"], name="卫片平台", actor=people["admin"]).startswith("kp_")


def test_a_session_write_needs_the_csrf_token_and_a_token_write_does_not(self_year, people, token):
    session = Client(enforce_csrf_checks=True)
    session.force_login(people["filler_own"])
    body = {"score": "0.5", "note": "人员未到位", "version": 1}
    refused = session.put(SELF_URL, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF 校验失败")
    assert session.get("/api/me").status_code == 200  # reads need no CSRF token

    secret = _get_new_csrf_string()
    session.cookies["csrftoken"] = secret
    saved = session.put(SELF_URL, body, content_type="application/json", headers={"X-CSRFToken": secret})
    assert saved.status_code == 200, saved.content.decode()

    body["version"] = 2
    by_token = _bearer(token, enforce_csrf_checks=True).put(SELF_URL, body, content_type="application/json")
    assert by_token.status_code == 200 and by_token.json()["changed"] is False


def test_kaoping_token_create_prints_the_token_once(people, capsys):
    assert main(["token", "create", "leader", "--name", "卫片平台"]) == 0
    out = capsys.readouterr().out
    plaintext = next(line for line in out.splitlines() if line.startswith("kp_"))
    assert "只显示这一次" in out
    assert _bearer(plaintext).get("/api/me").json()["username"] == "leader"

    assert main(["token", "create", "nobody", "--name", "x"]) == 1
    assert "用户 nobody 不存在" in capsys.readouterr().err
