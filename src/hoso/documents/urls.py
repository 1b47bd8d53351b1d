from django.urls import path

from hoso.documents import views

urlpatterns = [
    path("outgoing/", views.outgoing, name="documents-outgoing"),
    path("outgoing/<int:pk>/cancel/", views.cancel, name="documents-cancel"),
    path("incoming/", views.incoming, name="documents-incoming"),
]
