from django.urls import path

from hoso.travel import views

urlpatterns = [
    path("", views.trip_list, name="trip-list"),
    path("new/", views.trip_new, name="trip-new"),
    path("<id:pk>/", views.trip_detail, name="trip-detail"),
    path("<id:pk>/move/", views.trip_move, name="trip-move"),
    path("<id:pk>/passport/", views.trip_passport, name="trip-passport"),
    path("stays/", views.stay_list, name="stay-list"),
    path("stays/new/", views.stay_new, name="stay-new"),
    path("stays/<id:pk>/", views.stay_detail, name="stay-detail"),
    path("stays/<id:pk>/return/", views.stay_return, name="stay-return"),
    path("stays/<id:pk>/cancel/", views.stay_cancel, name="stay-cancel"),
    path("stays/<id:pk>/correct/", views.stay_correct, name="stay-correct"),
    path("relations/", views.relation_list, name="relation-list"),
    path("relations/new/", views.relation_new, name="relation-new"),
    path("relations/<id:pk>/decide/", views.relation_decide, name="relation-decide"),
]
