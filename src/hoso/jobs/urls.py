from django.urls import path

from hoso.jobs import views

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<id:pk>/", views.job_detail, name="job-detail"),
    path("<id:pk>/progress/", views.job_progress, name="job-progress"),
    path("<id:pk>/download/", views.job_download, name="job-download"),
]
