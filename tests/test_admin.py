"""The 管理员's pages (Django admin): settings through the service, ledgers and the audit log read-only."""

import pytest

from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign
from kaoping.org.services import user_create


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
