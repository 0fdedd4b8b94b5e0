"""The 管理员's pages (Django admin): settings through the service, ledgers and the audit log read-only."""

from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign
from kaoping.org.models import Department, Unit
from kaoping.org.services import user_create
from kaoping.rubrics.models import Rubric


@pytest.fixture
def admin_client(client, campaign):
    user_create(username="root", password="x", role="admin", check_password=False)
    client.login(username="root", password="x")
    return client


def _settings_form(campaign, **changes):
    form = {
        "pass_min": "60.00",
        "excellent_min": "90.00",
        "excellent_quota": "3",
        "self_deadline": campaign.self_deadline.isoformat(),
        "objection_days": "5",
        "notice_number": "",
    }
    form.update(changes)
    return form


def test_campaign_settings_change_is_audited(admin_client, campaign):
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    response = admin_client.post(url, _settings_form(campaign, excellent_quota="4"))
    assert response.status_code == 302
    assert Campaign.objects.get().excellent_quota == 4
    event = AuditEvent.objects.get(action="campaign_settings")
    assert (event.actor_label, event.old, event.new) == (
        "root",
        {"excellent_quota": "3"},
        {"excellent_quota": "4"},
    )


def test_frozen_campaign_settings_are_refused(admin_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="approved")
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    response = admin_client.post(url, _settings_form(campaign, pass_min="50"), follow=True)
    assert "所有分数和台帐已冻结" in response.content.decode()
    assert Campaign.objects.get().pass_min == 60


def test_audit_log_and_ledgers_are_read_only(admin_client):
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin_client.get("/admin/ledgers/case/add/").status_code == 403


# ---- Users, units, departments and rubrics edited in /admin/ are audited (issue 7) ----


class _FormFields(HTMLParser):
    """What a browser submits for the admin's change form: every named input, select and textarea."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            else:
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _admin_form(client, url, **changes):
    """The form on an admin page as it is shown, with some fields changed."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values for name, values in parser.data.items() if name != "csrfmiddlewaretoken"}
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def _events(prefix="admin_"):
    return [
        (e.action, e.actor_label, e.unit_code, e.old, e.new)
        for e in AuditEvent.objects.filter(action__startswith=prefix).order_by("id")
    ]


def test_user_role_change_is_audited(admin_client, loaded):
    user = user_create(
        username="zhang", password="x", role="filler", unit_code="430902", check_password=False
    )
    url = f"/admin/auth/user/{user.pk}/change/"
    department = Department.objects.order_by("id").first()
    form = _admin_form(
        admin_client,
        url,
        **{"profile-0-role": "assessor", "profile-0-unit": "", "profile-0-department": str(department.pk)},
    )
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _events() == [
        (
            "admin_user_change",
            "root",
            "",
            {"username": "zhang", "role": "filler", "unit": "430902", "department": None},
            {"username": "zhang", "role": "assessor", "unit": None, "department": department.code},
        )
    ]
    root = get_user_model().objects.get(username="root")
    assert AuditEvent.objects.get(action="admin_user_change").actor == root


def test_user_deactivation_and_unchanged_save(admin_client, loaded):
    user = user_create(username="li", password="x", role="party", check_password=False)
    url = f"/admin/auth/user/{user.pk}/change/"
    assert admin_client.post(url, _admin_form(admin_client, url)).status_code == 302
    assert _events() == []  # saved as it was: nothing to record
    form = _admin_form(admin_client, url)
    del form["is_active"]  # the box unticked
    assert admin_client.post(url, form).status_code == 302
    assert _events() == [
        (
            "admin_user_change",
            "root",
            "",
            {"username": "li", "is_active": True},
            {"username": "li", "is_active": False},
        )
    ]


def test_password_change_is_audited_as_a_flag(admin_client, loaded):
    user = user_create(username="wang", password="x", role="party", check_password=False)
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "true", "password1": "Qz7!long-enough", "password2": "Qz7!long-enough"},
        follow=True,
    )
    assert "密码修改成功" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Qz7!long-enough")
    assert _events() == [
        (
            "admin_user_password",
            "root",
            "",
            {"username": "wang"},
            {"username": "wang", "password_changed": True},
        )
    ]
    assert user.password not in str(
        AuditEvent.objects.values_list("old", "new").get(action="admin_user_password")
    )


def test_refused_password_change_is_not_audited(admin_client, loaded):
    user = user_create(username="zhao", password="x", role="party", check_password=False)
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "true", "password1": "Qz7!long-enough", "password2": "different"},
    )
    assert response.status_code == 200
    assert _events() == []


def test_user_add_and_delete_are_audited(admin_client, loaded):
    form = {
        "username": "chen",
        "usable_password": "true",
        "password1": "Qz7!long-enough",
        "password2": "Qz7!long-enough",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-role": "filler",
        "profile-0-unit": str(Unit.objects.get(code="430902").pk),
        "profile-0-department": "",
    }
    response = admin_client.post("/admin/auth/user/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="chen")
    [(action, actor, _, old, new)] = _events()
    assert (action, actor, old) == ("admin_user_add", "root", None)
    assert new["username"] == "chen" and new["password_changed"] is True
    assert (new["role"], new["unit"], new["is_active"]) == ("filler", "430902", True)
    assert "password" not in new
    response = admin_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="chen").exists()
    [_, (action, actor, _, old, new)] = _events()
    assert (action, actor, old["username"], old["role"], new) == (
        "admin_user_delete",
        "root",
        "chen",
        "filler",
        None,
    )
    assert "password" not in old and "password_changed" not in old


def test_unit_name_change_is_audited_and_its_code_is_fixed(admin_client, campaign):
    unit = Unit.objects.get(code="430902")
    url = f"/admin/org/unit/{unit.pk}/change/"
    form = _admin_form(admin_client, url, name="资阳分局", code="999999")
    assert admin_client.post(url, form).status_code == 302
    unit.refresh_from_db()
    assert (unit.code, unit.name) == ("430902", "资阳分局")
    [(action, actor, unit_code, old, new)] = _events()
    assert (action, actor, unit_code, new) == (
        "admin_unit_change",
        "root",
        "430902",
        {"code": "430902", "name": "资阳分局"},
    )
    assert old["code"] == "430902" and old["name"] != "资阳分局"


def test_unit_add_delete_and_bulk_delete_are_audited(admin_client, campaign):
    for code, name in (("430999", "新区"), ("430998", "另一新区")):
        assert admin_client.post("/admin/org/unit/add/", {"code": code, "name": name}).status_code == 302
    first = Unit.objects.get(code="430999")
    assert admin_client.post(f"/admin/org/unit/{first.pk}/delete/", {"post": "yes"}).status_code == 302
    second = Unit.objects.get(code="430998")
    response = admin_client.post(
        "/admin/org/unit/",
        {"action": "delete_selected", "_selected_action": [str(second.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Unit.objects.filter(code__in=["430999", "430998"]).exists()
    assert _events() == [
        ("admin_unit_add", "root", "430999", None, {"code": "430999", "name": "新区"}),
        ("admin_unit_add", "root", "430998", None, {"code": "430998", "name": "另一新区"}),
        ("admin_unit_delete", "root", "430999", {"code": "430999", "name": "新区"}, None),
        ("admin_unit_delete", "root", "430998", {"code": "430998", "name": "另一新区"}, None),
    ]


def test_unit_with_records_cannot_be_deleted(admin_client, campaign):
    user_create(username="tian", password="x", role="filler", unit_code="430902", check_password=False)
    unit = Unit.objects.get(code="430902")
    response = admin_client.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the page listing what protects it
    assert Unit.objects.filter(code="430902").exists()
    assert _events() == []


def test_department_name_change_is_audited(admin_client, loaded):
    department = Department.objects.order_by("id").first()
    url = f"/admin/org/department/{department.pk}/change/"
    old_name = department.name
    assert admin_client.post(url, _admin_form(admin_client, url, name="新名称")).status_code == 302
    department.refresh_from_db()
    assert department.name == "新名称"
    assert _events() == [
        (
            "admin_department_change",
            "root",
            "",
            {"code": department.code, "name": old_name},
            {"code": department.code, "name": "新名称"},
        )
    ]


def test_rubric_in_use_stays_read_only(admin_client, campaign):
    rubric = campaign.rubric
    source = rubric.source
    url = f"/admin/rubrics/rubric/{rubric.pk}/change/"
    admin_client.post(url, {"code": "x", "title": "改过", "source": "x"})
    rubric.refresh_from_db()
    assert (rubric.title, rubric.source) == (campaign.rubric.title, source)
    assert admin_client.post(f"/admin/rubrics/rubric/{rubric.pk}/delete/", {"post": "yes"}).status_code == 403
    assert _events() == []


def test_new_rubric_add_change_and_delete_are_audited(admin_client, campaign):
    source = campaign.rubric.source.replace('"yiyang-2017"', '"yiyang-2099"', 1).strip()
    form = {"code": "yiyang-2099", "title": "草稿", "source": source}
    response = admin_client.post("/admin/rubrics/rubric/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rubric = Rubric.objects.get(code="yiyang-2099")
    url = f"/admin/rubrics/rubric/{rubric.pk}/change/"
    assert admin_client.post(url, {**form, "title": "修订稿"}).status_code == 302
    assert admin_client.post(f"/admin/rubrics/rubric/{rubric.pk}/delete/", {"post": "yes"}).status_code == 302
    assert _events() == [
        ("admin_rubric_add", "root", "", None, {"code": "yiyang-2099", "title": "草稿", "source": source}),
        (
            "admin_rubric_change",
            "root",
            "",
            {"code": "yiyang-2099", "title": "草稿"},
            {"code": "yiyang-2099", "title": "修订稿"},
        ),
        (
            "admin_rubric_delete",
            "root",
            "",
            {"code": "yiyang-2099", "title": "修订稿", "source": source},
            None,
        ),
    ]


def test_refused_frozen_settings_show_the_refusal_only(admin_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="approved")
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    for button in ({}, {"_continue": "1"}):
        response = admin_client.post(
            url,
            _settings_form(campaign, pass_min="50", **button),
            follow=True,
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        shown = [str(m) for m in response.context["messages"]]
        assert len(shown) == 1 and "所有分数和台帐已冻结" in shown[0], shown
        page = response.content.decode()
        assert "成功修改" not in page and "was changed successfully" not in page
    assert Campaign.objects.get().pass_min == 60
    assert not AuditEvent.objects.filter(action="campaign_settings").exists()
    assert not LogEntry.objects.exists()  # the admin's history shows no change either


def test_accepted_settings_change_says_so_in_chinese(admin_client, campaign):
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    response = admin_client.post(
        url, _settings_form(campaign, excellent_quota="4"), follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert "成功修改" in response.content.decode()


def test_a_change_whose_audit_fails_is_not_kept(admin_client, campaign, monkeypatch):
    import kaoping.audit.admin_mixins as mixins

    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    spare = Unit.objects.create(code="430999", name="新区")
    unit = Unit.objects.get(code="430902")
    url = f"/admin/org/unit/{unit.pk}/change/"
    form = _admin_form(admin_client, url, name="资阳分局")
    monkeypatch.setattr(mixins, "audit_record", broken)
    with pytest.raises(RuntimeError):
        admin_client.post(url, form)
    with pytest.raises(RuntimeError):  # the bulk action, which Django runs outside a transaction
        admin_client.post(
            "/admin/org/unit/",
            {"action": "delete_selected", "_selected_action": [str(spare.pk)], "post": "yes"},
        )
    assert Unit.objects.get(code="430902").name == unit.name
    assert Unit.objects.filter(code="430999").exists()
