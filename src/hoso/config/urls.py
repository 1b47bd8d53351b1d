from django.urls import include, path

urlpatterns = [
    path("", include("hoso.web.urls")),
    path("", include("hoso.access.urls")),
    path("orgs/", include("hoso.orgs.urls")),
    path("audit/", include("hoso.audit.urls")),
    path("api/v1/", include("hoso.config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
