from django.urls import path

from hoso.petitions import views

urlpatterns = [
    path("", views.petition_list, name="petition-list"),
    path("new/", views.petition_new, name="petition-new"),
    path("<id:pk>/", views.petition_detail, name="petition-detail"),
    path("<id:pk>/classify/", views.petition_classify, name="petition-classify"),
    path("<id:pk>/move/", views.petition_move, name="petition-move"),
    path("<id:pk>/clock/", views.petition_clock, name="petition-clock"),
    path("<id:pk>/reveal/", views.petition_reveal, name="petition-reveal"),
    path("scans/<id:pk>/", views.petition_scan, name="petition-scan"),
    path("scans/<id:pk>/mask/", views.petition_scan_mask, name="petition-scan-mask"),
]
