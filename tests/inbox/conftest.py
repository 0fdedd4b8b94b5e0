import datetime

import pytest
from django.utils import timezone

from kaoping.campaigns.models import Campaign
from kaoping.org.services import user_create


@pytest.fixture
def people(campaign):
    """2017 assessed "now" (its deadline 30 days ahead), with a person of each role; two fillers of 资阳区."""
    Campaign.objects.filter(pk=campaign.pk).update(
        self_deadline=timezone.localdate() + datetime.timedelta(days=30)
    )

    def make(username, role, **scope):
        return user_create(
            username=username,
            password="x",
            role=role,
            check_password=False,
            email=f"{username}@example.test",
            **scope,
        )

    return {
        "zy": make("zy", "filler", unit_code="430902"),
        "zy2": make("zy2", "filler", unit_code="430902"),
        "hs": make("hs", "filler", unit_code="430903"),
        "zd": make("zd", "assessor", department_code="zfjc"),
        "fg": make("fg", "assessor", department_code="zcfg"),
        "group": make("group", "group"),
        "party": make("party", "party"),
        "admin": make("admin", "admin"),
    }
