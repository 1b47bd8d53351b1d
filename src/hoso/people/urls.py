from django.urls import path

from hoso.people.views import books, dossier, imports, lifecycle, members, registers, resume

urlpatterns = [
    path("", members.member_list, name="member-list"),
    path("new/", lifecycle.member_new, name="member-new"),
    path("export.xlsx", members.member_export, name="member-export"),
    path("import/", imports.import_upload, name="member-import"),
    path("import/template.xlsx", imports.import_template, name="member-import-template"),
    path("transfers/", lifecycle.transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/accept/", lifecycle.transfer_accept, name="transfer-accept"),
    path("transfers/<int:pk>/cancel/", lifecycle.transfer_cancel, name="transfer-cancel"),
    path("registers/<slug:kind>/", registers.register_view, name="register"),
    path("incomplete/", dossier.incomplete_list, name="dossier-incomplete"),
    path("supplements/", books.supplements, name="supplements"),
    path("supplements/<int:pk>/certify/", books.supplement_certify, name="supplement-certify"),
    path("matters/", books.matters, name="matters"),
    path("books/", books.books_hub, name="books"),
    path("reconciliation/", books.reconciliation, name="reconciliation"),
    path("handovers/", books.handovers, name="handovers"),
    path("handovers/<int:pk>/", books.handover_detail, name="handover-detail"),
    path("documents/<int:pk>/", dossier.document_detail, name="document-detail"),
    path("scans/<int:pk>/", dossier.scan_download, name="scan-download"),
    path("<int:pk>/dossier/", dossier.member_dossier, name="member-dossier"),
    path("<int:pk>/dossier/add/", dossier.dossier_add, name="dossier-add"),
    path("<int:pk>/correct/", dossier.member_correct, name="member-correct"),
    path("<int:pk>/resume/", resume.member_resume, name="member-resume"),
    path("<int:pk>/supplement/", books.supplement_declare, name="supplement-declare"),
    path("<int:pk>/", members.member_detail, name="member-detail"),
    path("<int:pk>/reveal/", members.member_reveal, name="member-reveal"),
    path("<int:pk>/transfer/", lifecycle.member_transfer, name="member-transfer"),
    path("<int:pk>/<slug:move>/", lifecycle.member_move, name="member-move"),
]
