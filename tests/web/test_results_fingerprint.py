"""The results page of an approved year shows the short fingerprint the workbook and the notice carry."""

from django.urls import reverse

from kaoping.assessments.fingerprint import results_fingerprint


def test_an_approved_year_shows_the_fingerprint_of_its_results(year_published, client_for):
    fingerprint = year_published.results_fingerprint
    assert fingerprint == results_fingerprint(year_published) and year_published.audit_head
    text = client_for("group").get(reverse("results")).content.decode()
    assert f"审定结果指纹 <code>{fingerprint[:12]}</code>" in text


def test_an_open_year_shows_no_fingerprint(year_review, client_for):
    text = client_for("group").get(reverse("results")).content.decode()
    assert "审定结果指纹" not in text
