from django.urls import path

from hoso.vetting.views import cases, conclusions, config, requests

urlpatterns = [
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_new, name="case-new"),
    path("bulk/", cases.bulk, name="case-bulk"),
    path("<int:pk>/", cases.case_detail, name="case-detail"),
    path("<int:pk>/move/", cases.case_move, name="case-move"),
    path("<int:pk>/text/", cases.case_text, name="case-text"),
    path("<int:pk>/team/", cases.case_team, name="case-team"),
    path("<int:pk>/clock/", cases.case_clock, name="case-clock"),
    path("<int:pk>/files/", cases.case_file_add, name="case-file-add"),
    path("<int:pk>/requests/", requests.request_new, name="request-new"),
    path("<int:pk>/conclude/", conclusions.conclude, name="case-conclude"),
    path("<int:pk>/papers/<slug:which>/", cases.case_paper, name="case-paper"),
    path("files/<int:pk>/", cases.case_file, name="case-file"),
    path("petitions/<int:pk>/", cases.petition_consider, name="petition-consider"),
    path("conclusions/<int:pk>/correct/", conclusions.correct, name="conclusion-correct"),
    path("requests/", requests.request_list, name="request-list"),
    path("requests/<int:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request-cancel"),
    path("requests/<int:pk>/remind/", requests.request_remind, name="request-remind"),
    path("requests/items/<int:pk>/resolve/", requests.item_resolve, name="reply-item-resolve"),
    path("types/", config.case_types, name="case-types"),
    path("types/<int:pk>/", config.case_type_edit, name="case-type-edit"),
]
