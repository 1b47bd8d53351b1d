from django.urls import path

from hoso.orgs import views

urlpatterns = [
    path("", views.org_tree, name="org-tree"),
    path("<int:pk>/", views.org_detail, name="org-detail"),
    path("<int:pk>/children/", views.org_children, name="org-children"),
    path("<int:pk>/<slug:op>/", views.org_action, name="org-action"),
]
