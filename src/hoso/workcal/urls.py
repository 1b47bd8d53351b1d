from django.urls import path

from hoso.workcal import views

urlpatterns = [
    path("", views.calendar_year, name="calendar"),
    path("<id:pk>/", views.calendar_day, name="calendar-day"),
    path("import/", views.calendar_import, name="calendar-import"),
    path("import/template/", views.calendar_import_template, name="calendar-import-template"),
]
