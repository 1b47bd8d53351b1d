from django.urls import path

from hoso.notices import views

urlpatterns = [
    path("", views.inbox, name="notices"),
    path("read/", views.read_all, name="notices-read"),
]
