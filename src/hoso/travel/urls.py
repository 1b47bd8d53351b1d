from django.urls import path

from hoso.travel import views

urlpatterns = [
    path("", views.trip_list, name="trip-list"),
    path("new/", views.trip_new, name="trip-new"),
    path("<id:pk>/", views.trip_detail, name="trip-detail"),
    path("<id:pk>/move/", views.trip_move, name="trip-move"),
    path("<id:pk>/passport/", views.trip_passport, name="trip-passport"),
    path("relations/", views.relation_list, name="relation-list"),
    path("relations/new/", views.relation_new, name="relation-new"),
    path("relations/<id:pk>/decide/", views.relation_decide, name="relation-decide"),
]
