from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from hoso.people.urls import persons_urlpatterns

handler404 = "hoso.web.views.not_found"

urlpatterns = [
    path("", include("hoso.web.urls")),
    path("", include("hoso.accounts.urls")),
    path("orgs/", include("hoso.orgs.urls")),
    path("audit/", include("hoso.trail.urls")),
    path("members/", include("hoso.people.urls")),
    path("persons/", include(persons_urlpatterns)),
    path("calendar/", include("hoso.workcal.urls")),
    path("documents/", include("hoso.documents.urls")),
    path("cases/", include("hoso.vetting.urls")),
    path("petitions/", include("hoso.petitions.urls")),
    path("travel/", include("hoso.travel.urls")),
    path("cadres/", include("hoso.cadres.urls")),
    path("reports/", include("hoso.reports.urls")),
    path("notifications/", include("hoso.notices.urls")),
    path("jobs/", include("hoso.jobs.urls")),
    path("api/v1/", include("hoso.config.api_urls")),
    # The language can be switched on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
