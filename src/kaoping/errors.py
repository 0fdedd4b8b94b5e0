"""Errors a user can act on. Their text is Chinese and says what, where, and how to mend it."""


class KaopingError(Exception):
    """Bad input (exit status 1, HTTP 400); the subclasses carry their own HTTP status."""

    exit_status = 1
    http_status = 400


class NotFound(KaopingError):
    """A named thing does not exist (or the person may not know that it does)."""

    http_status = 404


class Refused(KaopingError):
    """An action the rules forbid in the current state or for this actor."""

    http_status = 403


class Conflict(KaopingError):
    """Someone else saved the same record since it was read."""

    http_status = 409


class RowErrors(KaopingError):
    """Every problem of an import file, as `第 N 行 [列名]: ...` lines."""

    def __init__(self, source: str, errors: list[str]):
        self.source, self.errors = source, errors
        shown = "\n".join(errors[:200])
        more = f"\n……另有 {len(errors) - 200} 处错误" if len(errors) > 200 else ""
        super().__init__(f"{source}：发现 {len(errors)} 处错误，未导入任何数据：\n{shown}{more}")


class Busy(KaopingError):
    """The database stayed held by another write for longer than a write waits: nothing was saved, and the
    same request a moment later can succeed."""

    http_status = 503

    def __init__(self) -> None:
        super().__init__("数据库正忙（另一项写入尚未完成），本次修改未保存；请稍后重试")


# SQLite gives up waiting for the write lock; PostgreSQL's serialization failure, deadlock, lock timeout.
_BUSY_MESSAGES = ("database is locked", "database table is locked")
_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}


def busy_from(exception: BaseException) -> Busy | None:
    """Busy when a database error means "retry shortly" (a lock not obtained in time), else None."""
    cause = exception.__cause__ or exception
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES or str(cause).startswith(_BUSY_MESSAGES):
        return Busy()
    return None
