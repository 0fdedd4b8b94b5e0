"""django-ninja under /api/: session (with CSRF) or bearer-token authentication; docs at /api/docs."""

from django.urls import path
from ninja import NinjaAPI

from . import accounts, adjustments, campaigns, objections, scores, uploads
from .auth import AUTH
from .errors import install_error_handlers

api = NinjaAPI(
    title="考评系统接口",
    version="1",
    description=(
        "国土资源执法监察工作目标管理考评系统的接口。浏览器中登录后可直接调用（修改类请求需带 CSRF 令牌）；"
        "其他系统请用 `kaoping token create 用户名 --name 用途` 创建令牌，并在请求头中带上 "
        "`Authorization: Bearer <令牌>`。令牌以其用户的角色和范围行事。出错时返回 "
        '`{"detail": "…"}`，导入错误另有 `errors` 逐行列出。'
    ),
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)
api.add_router("/", accounts.router)
api.add_router("/campaigns", campaigns.router)
api.add_router("/campaigns", scores.router)
api.add_router("/campaigns", adjustments.router)
api.add_router("/campaigns", objections.router)
api.add_router("/imports", uploads.router)

urlpatterns = [path("", api.urls)]
