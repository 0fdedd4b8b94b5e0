"""Who may do what: one door for every role check, used by services, pages and the API alike."""

from django.contrib.auth.models import AbstractBaseUser

from kaoping.errors import Refused

from .models import Role


def role_of(user: AbstractBaseUser | None) -> str | None:
    """The user's role; None stands for the command line, which acts as the system administrator."""
    if user is None:
        return Role.ADMIN
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def require_role(user: AbstractBaseUser | None, *roles: str, action: str) -> None:
    """Raise Refused unless the user holds one of the roles (administrators hold every role)."""
    role = role_of(user)
    if role == Role.ADMIN or role in roles:
        return
    names = "、".join(Role(r).label for r in roles)
    raise Refused(f"只有{names}可以{action}")
