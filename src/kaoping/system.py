"""Setting up a database: migrations, shipped rubrics, departments and the default units."""

from django.core.management import call_command
from django.db import transaction

from kaoping.org.defaults import YIYANG_UNITS
from kaoping.org.models import Unit
from kaoping.rubrics.services import rubrics_load_shipped


def system_init() -> list[str]:
    """Create or migrate the database and load what ships with kaoping; safe to run again."""
    call_command("migrate", interactive=False, verbosity=0)
    rubrics, warnings = rubrics_load_shipped()
    with transaction.atomic():
        created = 0
        for code, name in YIYANG_UNITS:
            _, was_created = Unit.objects.get_or_create(code=code, defaults={"name": name})
            created += was_created
    return [
        "数据库已就绪",
        f"考评细则：{'、'.join(r.code for r in rubrics)}",
        f"被考评单位：共 {Unit.objects.count()} 个（本次新增 {created} 个）",
        *warnings,
    ]
