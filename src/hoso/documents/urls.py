from django.urls import path

from hoso.documents import views

urlpatterns = [
    path("outgoing/", views.outgoing, name="documents-outgoing"),
    path("outgoing/<int:pk>/cancel/", views.cancel, name="documents-cancel"),
    path("outgoing/<int:pk>/file/", views.generate, name="documents-generate"),
    path("incoming/", views.incoming, name="documents-incoming"),
    path("templates/", views.templates, name="documents-templates"),
    path("templates/<int:pk>/", views.template_upload, name="documents-template-upload"),
]
