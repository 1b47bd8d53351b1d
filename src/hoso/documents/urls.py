from django.urls import path

from hoso.documents import views

urlpatterns = [
    path("outgoing/", views.outgoing, name="documents-outgoing"),
    path("outgoing/<id:pk>/cancel/", views.cancel, name="documents-cancel"),
    path("outgoing/<id:pk>/file/", views.generate, name="documents-generate"),
    path("incoming/", views.incoming, name="documents-incoming"),
    path("templates/", views.templates, name="documents-templates"),
    path("templates/<id:pk>/", views.template_upload, name="documents-template-upload"),
]
