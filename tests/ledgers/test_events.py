"""约谈 / 问责 / 数据不实 recorded and removed by the group: dates in the campaign's year, open years only,
audited, and every other role refused."""

import datetime
from decimal import Decimal

import pytest

from kaoping.assessments.findings import event_record, event_remove
from kaoping.assessments.results import results_stored
from kaoping.audit.models import AuditEvent
from kaoping.campaigns.models import Campaign
from kaoping.errors import KaopingError, NotFound, Refused
from kaoping.ledgers.models import Event
from kaoping.org.models import Unit
from kaoping.org.services import user_create

ZY = "430902"


@pytest.fixture
def group(loaded):
    return user_create(username="group", role="group", password="Kaoping-Test-2017!")


@pytest.fixture
def unit(loaded) -> Unit:
    return Unit.objects.get(code=ZY)


def _record(campaign, unit, actor, day="2017-06-01", kind="约谈", reason="约谈局长") -> Event:
    return event_record(
        campaign=campaign,
        unit=unit,
        kind=kind,
        date=datetime.date.fromisoformat(day),
        reason=reason,
        actor=actor,
    )


@pytest.mark.django_db
def test_a_date_outside_the_campaign_year_is_refused(campaign, unit, group):
    for day in ("2016-01-01", "2016-12-31", "2018-01-01"):
        with pytest.raises(KaopingError, match=f"日期 {day} 不在 2017 年度内"):
            _record(campaign, unit, group, day=day)
    assert not Event.objects.exists() and not AuditEvent.objects.filter(action="event_record").exists()
    for day in ("2017-01-01", "2017-12-31"):
        _record(campaign, unit, group, day=day)
    assert Event.objects.count() == 2


def _summoned_item(campaign):
    unit = next(u for u in results_stored(campaign).units if u.code == ZY)
    return unit.items["5.7"].score


@pytest.mark.django_db
def test_remove_is_audited_and_moves_the_results_on(campaign, unit, group):
    event = _record(campaign, unit, group)
    assert _summoned_item(campaign) == Decimal("0.00")  # 5.7: 约谈 → 0, stored by the write itself
    with pytest.raises(KaopingError, match="删除记录必须写明原因"):
        event_remove(event=event, reason="  ", actor=group)
    event_remove(event=event, reason="单位录错", actor=group)
    assert not Event.objects.exists()
    audit = AuditEvent.objects.get(action="event_remove")
    assert (audit.campaign_year, audit.unit_code, audit.reason) == (2017, ZY, "单位录错")
    assert audit.old == {"kind": "约谈", "date": "2017-06-01", "note": "约谈局长"}
    assert _summoned_item(campaign) == Decimal("5.00")
    with pytest.raises(NotFound):
        event_remove(event=event, reason="再删一次", actor=group)


@pytest.mark.django_db
def test_remove_refused_in_a_frozen_year_and_for_imported_kinds(campaign, unit, group):
    event = _record(campaign, unit, group)
    briefing = Event.objects.create(unit=unit, kind="党组听取汇报", date="2017-03-01", note="一季度")
    with pytest.raises(Refused, match="随台帐导入修改"):
        event_remove(event=briefing, reason="x", actor=group)
    Campaign.objects.filter(pk=campaign.pk).update(state="approved")
    with pytest.raises(Refused, match="已冻结"):
        event_remove(event=event, reason="x", actor=group)
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["filler", "assessor", "party"])
def test_only_the_group_records_and_removes(campaign, unit, group, role):
    event = _record(campaign, unit, group)
    spec = {"filler": {"unit_code": ZY}, "assessor": {"department_code": "zfjc"}, "party": {}}[role]
    person = user_create(username=role, role=role, password="Kaoping-Test-2017!", **spec)
    with pytest.raises(Refused, match="只有考评小组可以记录"):
        _record(campaign, unit, person, reason="另一次")
    with pytest.raises(Refused, match="只有考评小组可以删除"):
        event_remove(event=event, reason="x", actor=person)
    assert Event.objects.count() == 1
