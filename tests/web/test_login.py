"""Signing in: throttled after repeated failures, CSRF enforced, demo accounts that work."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.test import Client
from django.urls import reverse

from kaoping.org.demo_accounts import demo_accounts_create
from kaoping.org.models import LoginFailure

from .conftest import PASSWORD


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_login_and_logout(people):
    client = Client()
    response = _login(client, "zy_filler", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_message_is_chinese(people):
    response = _login(Client(), "zy_filler", "wrong-password")
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_name_from_that_address(people):
    client = Client()
    for _ in range(5):
        _login(client, "zy_filler", "wrong-password")
    response = _login(client, "zy_filler", PASSWORD)  # even the right password is refused now
    assert response.status_code == 200
    assert "登录失败次数过多（15 分钟内 5 次），已暂停登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address, or another name from this address, is not locked.
    assert _login(Client(), "zy_filler", PASSWORD, address="10.0.0.2").status_code == 302
    assert _login(Client(), "hs_filler", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_success_clears_earlier_failures(people):
    client = Client()
    for _ in range(4):
        _login(client, "zy_filler", "wrong-password")
    assert _login(Client(), "zy_filler", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="zy_filler").exists()


@pytest.mark.django_db
def test_failures_expire_after_the_window(people, settings):
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 0
    for _ in range(6):
        _login(Client(), "zy_filler", "wrong-password")
    assert _login(Client(), "zy_filler", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_one_address_trying_many_names_is_stopped(people, settings):
    settings.LOGIN_THROTTLE_ADDRESS_FAILURES = 3
    for name in ("a", "b", "c"):
        _login(Client(), name, "wrong-password")
    response = _login(Client(), "zy_filler", PASSWORD)
    assert "登录失败次数过多" in response.content.decode()


@pytest.mark.django_db
def test_csrf_is_enforced(year_open, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["group"])
    response = client.post(reverse("campaign_move"), {"direction": "forward"})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    page = client.get("/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page  # htmx sends the token on every request


@pytest.mark.django_db
def test_demo_accounts_one_per_role_idempotent(loaded):
    first = demo_accounts_create()
    assert {role for _, _, role, _ in first} == {"区县填报员", "成员单位考评员", "考评小组", "党组", "管理员"}
    assert ("ziyang-tb", "资阳区") in {(u, scope) for u, _, _, scope in first}
    assert ("zcfg-kp", "政策法规科") in {(u, scope) for u, _, _, scope in first}
    second = demo_accounts_create()
    assert [u for u, *_ in first] == [u for u, *_ in second]
    for username, password, _, _ in second:
        validate_password(password)
        assert authenticate(username=username, password=password) is not None
    assert authenticate(username="ziyang-tb", password=first[0][1]) is None  # a new run, new passwords
