from django.urls import path

from hoso.cadres.views import plans, records

urlpatterns = [
    path("", records.cadre_list, name="cadre-list"),
    path("export/", records.cadre_export, name="cadre-export"),
    path("new/", records.cadre_new, name="cadre-new"),
    path("import/", records.import_upload, name="cadre-import"),
    path("import/template/", records.import_template, name="cadre-import-template"),
    path("key-posts/", records.key_posts, name="cadre-key-posts"),
    path("<id:pk>/", records.cadre_detail, name="cadre-detail"),
    path("<id:pk>/category/", records.cadre_category, name="cadre-category"),
    path("<id:pk>/posts/", records.cadre_post_add, name="cadre-post-add"),
    path("<id:pk>/correct/", records.cadre_correct, name="cadre-correct"),
    path("posts/<id:pk>/end/", records.post_end, name="post-end"),
    path("posts/<id:pk>/correct/", records.post_correct, name="post-correct"),
    path("lists/", plans.plan_list, name="plan-list"),
    path("lists/new/", plans.plan_new, name="plan-new"),
    path("lists/<id:pk>/", plans.plan_detail, name="plan-detail"),
    path("lists/<id:pk>/add/", plans.entry_add, name="entry-add"),
    path("entries/<id:pk>/remove/", plans.entry_remove, name="entry-remove"),
]
