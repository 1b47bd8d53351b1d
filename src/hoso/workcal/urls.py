from django.urls import path

from hoso.workcal import views

urlpatterns = [
    path("", views.calendar_year, name="calendar"),
    path("<id:pk>/", views.calendar_day, name="calendar-day"),
]
