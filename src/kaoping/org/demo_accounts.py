"""One demo account per role for `kaoping demo`; passwords are fresh on every run and printed once."""

import secrets
import string

from django.contrib.auth import get_user_model
from django.db import transaction

from kaoping.audit.services import audit_record

from .models import Department, Profile, Role, Unit
from .services import user_create

# username, role, unit code, department code, full name
DEMO_ACCOUNTS = (
    ("ziyang-tb", Role.FILLER, "430902", None, "资阳区填报员"),
    ("heshan-tb", Role.FILLER, "430903", None, "赫山区填报员"),
    ("zfjc-kp", Role.ASSESSOR, None, "zfjc", "执法监察支队考评员"),
    ("zcfg-kp", Role.ASSESSOR, None, "zcfg", "政策法规科考评员"),
    ("xiaozu", Role.GROUP, None, None, "考评小组组长"),
    ("dangzu", Role.PARTY, None, None, "局党组"),
    ("guanli", Role.ADMIN, None, None, "系统管理员"),
)

_ALPHABET = string.ascii_letters + string.digits


def _password() -> str:
    # Four groups of four: long, random, and easy to copy from a terminal.
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def _scope(role: str, unit_code: str | None, department_code: str | None) -> str:
    if unit_code:
        return Unit.objects.get(code=unit_code).name
    if department_code:
        return Department.objects.get(code=department_code).name
    return "全市" if role != Role.ADMIN else "系统"


def demo_accounts_create() -> list[tuple[str, str, str, str]]:
    """Create (or reset) the demo accounts; return (username, password, role label, scope) for each."""
    User = get_user_model()
    accounts = []
    for username, role, unit_code, department_code, full_name in DEMO_ACCOUNTS:
        password = _password()
        existing = User.objects.filter(username=username).first()
        if existing is None:
            user_create(
                username=username,
                password=password,
                role=role,
                unit_code=unit_code,
                department_code=department_code,
                full_name=full_name,
            )
        else:
            with transaction.atomic():
                existing.set_password(password)
                existing.first_name = full_name
                existing.is_active = True
                existing.is_staff = existing.is_superuser = role == Role.ADMIN
                existing.save()
                Profile.objects.update_or_create(
                    user=existing,
                    defaults={
                        "role": role,
                        "unit": Unit.objects.filter(code=unit_code).first() if unit_code else None,
                        "department": (
                            Department.objects.filter(code=department_code).first()
                            if department_code
                            else None
                        ),
                    },
                )
                audit_record(
                    actor=None, action="demo_account_reset", new={"username": username, "role": role}
                )
        accounts.append((username, password, Role(role).label, _scope(role, unit_code, department_code)))
    return accounts
