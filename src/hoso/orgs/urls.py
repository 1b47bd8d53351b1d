from django.urls import path

from hoso.orgs import views

urlpatterns = [
    path("", views.org_tree, name="org-tree"),
    path("pick/", views.org_pick, name="org-pick"),
    path("<id:pk>/", views.org_detail, name="org-detail"),
    path("<id:pk>/children/", views.org_children, name="org-children"),
    path("<id:pk>/<slug:op>/", views.org_action, name="org-action"),
]
