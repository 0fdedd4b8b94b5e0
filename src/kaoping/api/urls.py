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
        '`{"detail": "…"}`（JSON，包括不存在的接口），导入错误另有 `errors` 逐行列出。状态码：400 请求不符合本文档'
        "（类型、格式、范围）；401 未登录或令牌无效；403 角色或考评状态不允许；404 没有该年度、单位、条目、记录或接口；"
        "409 已被他人修改；422 符合本文档、但被规则拒绝（如分数超出该条目分值、导入文件有错误行）。"
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
