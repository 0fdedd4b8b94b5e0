"""Forms the pages validate before calling a service: every 400 comes from here or from the service."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from kaoping.errors import Refused
from kaoping.org.throttle import login_failure_record, login_failures_clear, login_throttle_check


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a user name that failed too often from this address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。请注意区分大小写；连续输错 5 次将暂停登录 15 分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        try:
            login_throttle_check(username=username, ip=address)
        except Refused as refused:
            raise ValidationError(str(refused), code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(username=username, ip=address)
            raise
        login_failures_clear(username=username, ip=address)
        return cleaned


class EventForm(forms.Form):
    unit = forms.ChoiceField(label="单位")
    kind = forms.ChoiceField(label="类型")
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(forms.Form):
    unit = forms.ChoiceField(label="单位", error_messages={"required": "请选择单位"})
    adjustment = forms.ChoiceField(
        label="加分项 / 扣分项", error_messages={"required": "请选择加分项或扣分项"}
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    basis = forms.CharField(
        label="依据",
        max_length=500,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "如：湘国土资办函〔2018〕12号 通报表扬资阳区执法监察工作"}
        ),
        error_messages={"required": "必须写明依据（如 湘国土资办函〔2018〕12号 通报表扬）"},
    )
    evidence = forms.FileField(
        label="佐证材料",
        help_text="表扬通报、推广文件等的扫描件（PDF、图片、Word 等）",
        error_messages={"required": "每条加分、扣分记录都要附佐证材料（表扬通报、推广文件等的扫描件）"},
    )


class RectificationForm(forms.Form):
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(
        label="整改期限", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    progress = forms.CharField(label="整改进展", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InadequateForm(forms.Form):
    deputy = forms.CharField(label="分管局领导姓名", max_length=50)
    brigade_head = forms.CharField(label="执法监察大队负责人姓名", max_length=50)
    director = forms.CharField(label="局主要负责人姓名", max_length=50)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label="认定理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    until = forms.DateField(
        label="重新开放至", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label="原因", max_length=500)
