from django.urls import path

from hoso.people import views

urlpatterns = [
    path("", views.member_list, name="member-list"),
    path("export.xlsx", views.member_export, name="member-export"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
]
