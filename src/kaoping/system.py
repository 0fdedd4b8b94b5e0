"""Setting up a database: migrations, shipped rubrics, departments and the default units."""

from django.core.management import call_command
from django.db import transaction

from kaoping.assessments.results import result_summary, results_update
from kaoping.campaigns.models import Campaign
from kaoping.org.defaults import YIYANG_UNITS
from kaoping.org.models import Department, Unit
from kaoping.rubrics.services import rubrics_load_shipped


def shipped_rubrics_load() -> tuple[list, list[str]]:
    """Every shipped rubric (validated) and the member departments it names; idempotent."""
    with transaction.atomic():
        rubrics, warnings = rubrics_load_shipped()
        for rubric in rubrics:
            for department in rubric.definition.departments:
                Department.objects.update_or_create(code=department.code, defaults={"name": department.name})
    return rubrics, warnings


def system_init() -> list[str]:
    """Create or migrate the database and load what ships with kaoping; safe to run again."""
    call_command("migrate", interactive=False, verbosity=0)
    rubrics, warnings = shipped_rubrics_load()
    with transaction.atomic():
        created = 0
        for code, name in YIYANG_UNITS:
            _, was_created = Unit.objects.get_or_create(code=code, defaults={"name": name})
            created += was_created
        # Results are kept by the writes; a database from before that (or a new unit) is brought up to date.
        for campaign in Campaign.objects.select_related("rubric"):
            if campaign.is_frozen:
                result_summary(campaign)  # an approved year keeps its rows; only its summary may be missing
            else:
                results_update(campaign=campaign)
    return [
        "数据库已就绪",
        f"考评细则：{'、'.join(r.code for r in rubrics)}",
        f"被考评单位：共 {Unit.objects.count()} 个（本次新增 {created} 个）",
        *warnings,
    ]
