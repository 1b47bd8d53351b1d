from django.urls import path

from hoso.reports.views import figures, layout, reports

urlpatterns = [
    path("", figures.report_home, name="report-home"),
    path("forms/", layout.report_forms, name="report-forms"),
    path("forms/<slug:code>/layout/", layout.report_layout, name="report-layout"),
    path(
        "forms/<slug:code>/layout/<slug:part>/<id:pk>/delete/",
        layout.report_layout_delete,
        name="report-layout-delete",
    ),
    path("forms/<slug:code>/", reports.report_document, name="report-document"),
    path("forms/<slug:code>/save/", reports.report_save, name="report-save"),
    path("forms/<slug:code>/status/", reports.report_status, name="report-status"),
    path("kept/<id:pk>/", reports.report_kept, name="report-kept"),
    path("kept/<id:pk>/submit/", reports.report_submit, name="report-submit"),
    path("kept/<id:pk>/return/", reports.report_return, name="report-return"),
    path("kept/<id:pk>/export/<slug:fmt>/", reports.report_export, name="report-export"),
    path("<str:code>/", figures.report_indicator, name="report-indicator"),
    path("<str:code>/records/", figures.report_records, name="report-records"),
    path("<str:code>/records/export/", figures.report_records_export, name="report-records-export"),
]
