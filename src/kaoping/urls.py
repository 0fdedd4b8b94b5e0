from django.contrib import admin
from django.urls import include, path

from kaoping.web.context import system_name

# The administrators' pages carry the system's name, not "Django 管理".
admin.site.site_header = admin.site.site_title = f"{system_name()} — 管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("kaoping.api.urls")),
    path("", include("kaoping.web.urls")),
]
