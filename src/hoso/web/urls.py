from django.urls import path

from hoso.web import catalogues, views

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogues/<slug:name>/", catalogues.catalogue, name="catalogue"),
    path("catalogues/<slug:name>/<id:pk>/", catalogues.catalogue, name="catalogue-item"),
]
