"""Every page × every role, and a 填报员 / 考评员 of another unit / department: the expected status, and
nothing of 资阳区 (430902) leaked to 赫山区's 填报员."""

import pytest
from django.urls import reverse

from .conftest import EVIDENCE_NOTE, HS, ZY

ROLES = ("anonymous", "filler", "filler_other", "assessor", "assessor_other", "group", "party", "admin")
OK, MOVED, FORBIDDEN, MISSING = 200, 302, 403, 404
LOGIN = "login"

# url → expected status per role, while the year is 考评中 (results not yet approved).
IN_REVIEW = {
    "/": dict(filler=OK, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK),
    "/self/": dict(
        filler=OK,
        filler_other=OK,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=MOVED,
        party=MOVED,
        admin=MOVED,
    ),
    f"/self/{ZY}/": dict(
        filler=OK,
        filler_other=MISSING,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    "/review/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=OK,
        assessor_other=OK,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/review/?unit=430902&status=reviewed&format=xlsx": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=OK,
        assessor_other=OK,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/ledgers/": dict(
        filler=OK,
        filler_other=OK,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/ledgers/templates/cases.xlsx": dict(
        filler=OK,
        filler_other=OK,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/ledgers/templates/review-scores.xlsx": dict(
        filler=MISSING,
        filler_other=MISSING,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/events/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    "/adjustments/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=FORBIDDEN,
        admin=OK,
    ),
    # Before approval a 填报员 or 考评员 sees a notice, no figures.
    "/results/": dict(
        filler=OK, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    f"/results/{ZY}/": dict(
        filler=FORBIDDEN,
        filler_other=MISSING,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    "/results/differences/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    "/results/ranking.xlsx": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    "/results/notice.docx": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    # The year's 通知 and 细则 are addressed to every unit: everyone who sees the year reads them.
    "/campaign/rules.docx": dict(
        filler=OK, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    "/followup/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=OK,
        party=OK,
        admin=OK,
    ),
    "/approval/": dict(
        filler=FORBIDDEN,
        filler_other=FORBIDDEN,
        assessor=FORBIDDEN,
        assessor_other=FORBIDDEN,
        group=FORBIDDEN,
        party=OK,
        admin=OK,
    ),
    "/password/": dict(
        filler=OK, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
}

# After publication: the ranking for the city's roles, a 填报员 its own unit only.
PUBLISHED = {
    "/results/": dict(
        filler=MOVED, filler_other=MOVED, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    f"/results/{ZY}/": dict(
        filler=OK, filler_other=MISSING, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    f"/results/{HS}/": dict(
        filler=MISSING, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    "/results/ranking.xlsx": dict(
        filler=FORBIDDEN, filler_other=FORBIDDEN, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
    # The notice is addressed to every county bureau: each 填报员 downloads it once 已通报.
    "/results/notice.docx": dict(
        filler=OK, filler_other=OK, assessor=OK, assessor_other=OK, group=OK, party=OK, admin=OK
    ),
}

BINARY = (".xlsx", ".docx", "format=xlsx")


def _expected(table: dict, url: str, role: str) -> int:
    return MOVED if role == "anonymous" else table[url][role]


def _check(response, expected: int, url: str, role: str) -> None:
    assert response.status_code == expected, f"{role} GET {url}: {response.status_code}, expected {expected}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse(LOGIN))
    if role == "filler_other" and not any(b in url for b in BINARY):
        text = response.content.decode()
        assert "资阳区" not in text, f"{url} leaks 资阳区 to 赫山区's 填报员"
        assert EVIDENCE_NOTE not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_review(year_review, client_for, role):
    client = client_for(role)
    for url in IN_REVIEW:
        _check(client.get(url), _expected(IN_REVIEW, url, role), url, role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_after_publication(year_published, client_for, role):
    client = client_for(role)
    for url in PUBLISHED:
        _check(client.get(url), _expected(PUBLISHED, url, role), url, role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", MOVED),
        ("filler", OK),
        ("filler_other", MISSING),
        ("assessor", OK),  # 1.5 is 执法监察支队's
        ("assessor_other", MISSING),
        ("group", OK),
        ("party", OK),
        ("admin", OK),
    ],
)
def test_evidence_is_served_only_to_who_may_see_it(evidence, client_for, role, expected):
    response = client_for(role).get(reverse("evidence_file", args=[evidence.pk]))
    assert response.status_code == expected
    if expected == OK:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["X-Content-Type-Options"] == "nosniff"
    elif role != "anonymous":
        assert EVIDENCE_NOTE not in response.content.decode()


@pytest.mark.django_db
def test_no_public_media_url(evidence, client_for):
    response = client_for("group").get("/media/" + evidence.file.name)
    assert response.status_code == MISSING


POSTS = [
    # (url, data, role, expected status)
    (f"/self/{ZY}/1.2/save/", {"score": "1", "note": "x", "version": "0"}, "filler_other", MISSING),
    (f"/self/{ZY}/1.2/save/", {"score": "1", "note": "x", "version": "0"}, "assessor", FORBIDDEN),
    (f"/self/{ZY}/1.2/save/", {"score": "1", "note": "x", "version": "0"}, "group", FORBIDDEN),
    (f"/self/{ZY}/submit/", {}, "filler_other", MISSING),
    (f"/self/{ZY}/reopen/", {"until": "2030-01-01", "reason": "x"}, "filler", FORBIDDEN),
    (f"/self/{ZY}/reopen/", {"until": "2030-01-01", "reason": "x"}, "party", FORBIDDEN),
    (f"/review/{ZY}/1.5/save/", {"score": "1", "reason": "x", "version": "0"}, "filler", FORBIDDEN),
    (f"/review/{ZY}/1.5/save/", {"score": "1", "reason": "x", "version": "0"}, "assessor_other", MISSING),
    (f"/review/{ZY}/1.5/save/", {"score": "1", "reason": "x", "version": "0"}, "party", FORBIDDEN),
    (f"/review/{ZY}/1.5/return/", {"comment": "x"}, "assessor_other", MISSING),
    ("/campaign/move/", {"direction": "forward"}, "filler", FORBIDDEN),
    ("/campaign/move/", {"direction": "forward"}, "assessor", FORBIDDEN),
    ("/events/", {"unit": ZY, "kind": "约谈", "date": "2017-06-01", "reason": "x"}, "filler", FORBIDDEN),
    ("/events/", {"unit": ZY, "kind": "约谈", "date": "2017-06-01", "reason": "x"}, "party", FORBIDDEN),
    (
        "/adjustments/",
        {"unit": ZY, "adjustment": "J1", "date": "2017-06-01", "basis": "x"},
        "filler",
        FORBIDDEN,
    ),
    (
        "/adjustments/",
        {"unit": ZY, "adjustment": "J1", "date": "2017-06-01", "basis": "x"},
        "party",
        FORBIDDEN,
    ),
    (f"/followup/{ZY}/", {f"{ZY}-measures": "x"}, "party", FORBIDDEN),
    (f"/followup/{ZY}/judge/", {}, "assessor", FORBIDDEN),
    ("/ledgers/", {"kind": "cases"}, "assessor", FORBIDDEN),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url,data,role,expected", POSTS)
def test_writes_refused_for_the_wrong_person(year_review, client_for, url, data, role, expected):
    response = client_for(role).post(url, data)
    assert response.status_code == expected, response.content.decode()[:500]
    if role == "filler_other":
        assert "资阳区" not in response.content.decode()


@pytest.mark.django_db
def test_evidence_delete_by_another_unit_is_missing(evidence, client_for):
    response = client_for("filler_other").post(reverse("evidence_delete", args=[evidence.pk]))
    assert response.status_code == MISSING
    assert EVIDENCE_NOTE not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_posts_go_to_login(year_review, client_for):
    for url, data, _, _ in POSTS:
        response = client_for("anonymous").post(url, data)
        assert response.status_code == MOVED and response["Location"].startswith(reverse(LOGIN)), url


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_can_do(year_review, client_for):
    menus = {
        "filler": {"自评", "台帐与报送", "考评结果"},
        "assessor": {"考评任务", "考评结果"},
        "group": {"考评任务", "台帐与报送", "约谈问责记录", "考评结果", "整改跟踪"},
        "party": {"考评结果", "整改跟踪", "审定"},
        "admin": {"考评任务", "台帐与报送", "约谈问责记录", "考评结果", "整改跟踪", "审定", "管理"},
    }
    every = set().union(*menus.values())
    for role, shown in menus.items():
        text = client_for(role).get("/").content.decode()
        nav = text[text.index('<nav class="sidenav"') : text.index("</nav>")]
        for label in every:
            assert (f">{label}</a>" in nav) == (label in shown), (role, label)
