from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kaoping.audit.services import audit_record
from kaoping.errors import KaopingError

from .models import Department, Profile, Role, Unit
from .policy import Action, policy_check


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit_code: str | None = None,
    department_code: str | None = None,
    full_name: str = "",
    email: str = "",
    actor=None,
    check_password: bool = True,
) -> AbstractUser:
    """An account with its role and scope; a 填报员 needs a unit, a 考评员 a department."""
    policy_check(actor, Action.ACCOUNTS_MANAGE)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise KaopingError(f"用户名 {username} 已存在")
    unit = department = None
    if role == Role.FILLER:
        if not unit_code:
            raise KaopingError("填报员必须指定所属单位（--unit 单位代码）")
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise KaopingError(f"单位代码 {unit_code} 不存在")
    if role == Role.ASSESSOR:
        codes = "、".join(Department.objects.values_list("code", flat=True))
        if not department_code:
            raise KaopingError(f"考评员必须指定所属成员单位（--department，可选：{codes}）")
        department = Department.objects.filter(code=department_code).first()
        if department is None:
            raise KaopingError(f"成员单位 {department_code} 不存在；可选：{codes}")
    candidate = User(username=username, first_name=full_name, email=email.strip())
    if check_password:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise KaopingError("密码不符合要求：" + "；".join(exc.messages)) from None
    with transaction.atomic():
        candidate.set_password(password)
        candidate.is_staff = role == Role.ADMIN
        candidate.is_superuser = role == Role.ADMIN
        candidate.save()
        Profile.objects.create(user=candidate, role=role, unit=unit, department=department)
        audit_record(
            actor=actor,
            action="user_create",
            new={"username": username, "role": role, "unit": unit_code, "department": department_code},
        )
    return candidate
