from django.urls import path

from hoso.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
