"""Signing in (throttled), signing out, and choosing the campaign year."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kaoping.assessments.selectors import campaigns_visible_to

from ..forms import ThrottledAuthenticationForm
from ..selectors import SESSION_YEAR
from .common import safe_next

login = auth_views.LoginView.as_view(
    template_name="web/login.html",
    authentication_form=ThrottledAuthenticationForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(template_name="web/password_change.html")
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="web/password_change_done.html"
)


@login_required
def year_choose(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    if year.isdigit() and campaigns_visible_to(request.user).filter(year=int(year)).exists():
        request.session[SESSION_YEAR] = int(year)
    return redirect(safe_next(request, reverse("dashboard")))
