from django.urls import path

from hoso.reports import views

urlpatterns = [
    path("", views.report_home, name="report-home"),
    path("<str:code>/", views.report_indicator, name="report-indicator"),
    path("<str:code>/records/", views.report_records, name="report-records"),
]
