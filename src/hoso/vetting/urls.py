from django.urls import path

from hoso.vetting.views import cases, conclusions, config, plan, requests

urlpatterns = [
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_new, name="case-new"),
    path("bulk/", cases.bulk, name="case-bulk"),
    path("<id:pk>/", cases.case_detail, name="case-detail"),
    path("<id:pk>/move/", cases.case_move, name="case-move"),
    path("<id:pk>/text/", cases.case_text, name="case-text"),
    path("<id:pk>/team/", cases.case_team, name="case-team"),
    path("<id:pk>/clock/", cases.case_clock, name="case-clock"),
    path("<id:pk>/files/", cases.case_file_add, name="case-file-add"),
    path("<id:pk>/requests/", requests.request_new, name="request-new"),
    path("<id:pk>/conclude/", conclusions.conclude, name="case-conclude"),
    path("<id:pk>/plan/skip/", plan.plan_skip, name="case-plan-skip"),
    path("<id:pk>/plan/withdraw/", plan.plan_withdraw, name="case-plan-withdraw"),
    path("<id:pk>/plan/print/", plan.plan_print, name="case-plan-print"),
    path("<id:pk>/papers/<slug:which>/", cases.case_paper, name="case-paper"),
    path("files/<id:pk>/", cases.case_file, name="case-file"),
    path("petitions/<id:pk>/", cases.petition_consider, name="petition-consider"),
    path("conclusions/<id:pk>/correct/", conclusions.correct, name="conclusion-correct"),
    path("conclusions/<id:pk>/validity/", conclusions.record_validity, name="conclusion-validity"),
    path("requests/", requests.request_list, name="request-list"),
    path("requests/<id:pk>/", requests.request_detail, name="request-detail"),
    path("requests/<id:pk>/cancel/", requests.request_cancel, name="request-cancel"),
    path("requests/<id:pk>/remind/", requests.request_remind, name="request-remind"),
    path("requests/items/<id:pk>/resolve/", requests.item_resolve, name="reply-item-resolve"),
    path("types/", config.case_types, name="case-types"),
    path("types/<id:pk>/", config.case_type_edit, name="case-type-edit"),
]
