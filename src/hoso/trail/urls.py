from django.urls import path

from hoso.trail import views

urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("export/", views.audit_export, name="audit-export"),
    path("flags/", views.flag_list, name="audit-flags"),
    path("flags/<id:pk>/", views.flag_detail, name="audit-flag"),
]
