from django.urls import path

from hoso.people.views import (
    books,
    dossier,
    glass,
    imports,
    lifecycle,
    members,
    persons,
    registers,
    resume,
)

urlpatterns = [
    path("", members.member_list, name="member-list"),
    path("new/", lifecycle.member_new, name="member-new"),
    path("export.xlsx", members.member_export, name="member-export"),
    path("import/", imports.import_upload, name="member-import"),
    path("import/template.xlsx", imports.import_template, name="member-import-template"),
    path("transfers/", lifecycle.transfer_list, name="transfer-list"),
    path("transfers/<id:pk>/accept/", lifecycle.transfer_accept, name="transfer-accept"),
    path("transfers/<id:pk>/cancel/", lifecycle.transfer_cancel, name="transfer-cancel"),
    path("registers/<slug:kind>/", registers.register_view, name="register"),
    path("incomplete/", dossier.incomplete_list, name="dossier-incomplete"),
    path("supplements/", books.supplements, name="supplements"),
    path("supplements/<id:pk>/certify/", books.supplement_certify, name="supplement-certify"),
    path("matters/", books.matters, name="matters"),
    path("books/", books.books_hub, name="books"),
    path("units/", members.admin_units, name="admin-units"),
    path("deadlines/", books.deadlines, name="deadlines"),
    path("reconciliation/", books.reconciliation, name="reconciliation"),
    path("handovers/", books.handovers, name="handovers"),
    path("emergency/", glass.glass_open, name="glass-open"),
    path("emergency/review/", glass.glass_review, name="glass-review"),
    path("emergency/<id:pk>/", glass.glass_detail, name="glass-detail"),
    path("emergency/<id:pk>/close/", glass.glass_close, name="glass-close"),
    path("handovers/<id:pk>/", books.handover_detail, name="handover-detail"),
    path("documents/<id:pk>/", dossier.document_detail, name="document-detail"),
    path("scans/<id:pk>/", dossier.scan_download, name="scan-download"),
    path("<id:pk>/dossier/", dossier.member_dossier, name="member-dossier"),
    path("<id:pk>/dossier/add/", dossier.dossier_add, name="dossier-add"),
    path("<id:pk>/correct/", dossier.member_correct, name="member-correct"),
    path("<id:pk>/resume/", resume.member_resume, name="member-resume"),
    path("<id:pk>/supplement/", books.supplement_declare, name="supplement-declare"),
    path("relatives/<id:pk>/", persons.relative_identity, name="relative-identity"),
    path("<id:pk>/", members.member_detail, name="member-detail"),
    path("<id:pk>/reveal/", members.member_reveal, name="member-reveal"),
    path("<id:pk>/transfer/", lifecycle.member_transfer, name="member-transfer"),
    path("<id:pk>/<slug:move>/", lifecycle.member_move, name="member-move"),
]

# Mounted at /persons/ (config/urls.py): one human being across members, relatives, subjects.
persons_urlpatterns = [
    path("duplicates/", persons.duplicates, name="person-duplicates"),
    path("<id:pk>/", persons.person_detail, name="person-detail"),
    path("<id:pk>/<slug:op>/", persons.person_decide, name="person-decide"),
]
