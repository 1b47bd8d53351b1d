from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from hoso.cadres.api import (
    CadreViewSet,
    CategoryViewSet,
    EntryViewSet,
    PlanViewSet,
    PostKindViewSet,
    PostViewSet,
)
from hoso.documents.api import IncomingViewSet, OutgoingViewSet
from hoso.jobs.api import JobViewSet
from hoso.lib.api import IdRouter
from hoso.notices.api import NotificationViewSet
from hoso.orgs.api import OrganizationViewSet
from hoso.people.api import MemberViewSet, PersonViewSet, RelativeViewSet
from hoso.petitions.api import PetitionViewSet
from hoso.reports.api import ReportView
from hoso.trail.api import AuditEventViewSet
from hoso.travel.api import RelationViewSet, StayViewSet, TripViewSet
from hoso.vetting.api import CaseViewSet, HelpRequestViewSet, VerificationRequestViewSet
from hoso.workcal.api import CalendarView

router = IdRouter()
router.register("orgs", OrganizationViewSet, basename="api-org")
router.register("members", MemberViewSet, basename="api-member")
router.register("persons", PersonViewSet, basename="api-person")
router.register("relatives", RelativeViewSet, basename="api-relative")
router.register("audit-events", AuditEventViewSet, basename="api-audit-event")
router.register("cases", CaseViewSet, basename="api-case")
router.register("petitions", PetitionViewSet, basename="api-petition")
router.register("trips", TripViewSet, basename="api-trip")
router.register("stays", StayViewSet, basename="api-stay")
router.register("foreign-relations", RelationViewSet, basename="api-relation")
router.register(
    "verification-requests", VerificationRequestViewSet, basename="api-verification-request"
)
router.register("help-requests", HelpRequestViewSet, basename="api-help-request")
router.register("outgoing-documents", OutgoingViewSet, basename="api-outgoing-document")
router.register("incoming-documents", IncomingViewSet, basename="api-incoming-document")
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("jobs", JobViewSet, basename="api-job")
router.register("cadre-categories", CategoryViewSet, basename="api-cadre-category")
router.register("post-kinds", PostKindViewSet, basename="api-post-kind")
router.register("cadres", CadreViewSet, basename="api-cadre")
router.register("cadre-posts", PostViewSet, basename="api-cadre-post")
router.register("cadre-lists", PlanViewSet, basename="api-plan")
router.register("cadre-list-entries", EntryViewSet, basename="api-plan-entry")

urlpatterns = [
    path("", include(router.urls)),
    path("calendar/", CalendarView.as_view(), name="api-calendar"),
    path("reports/", ReportView.as_view(), name="api-reports"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
