"""Cadre pages: the list (filters, keyset pages, Excel export), a cadre's record with its
category and posts, the forms that change them, the Excel import, and the key posts without a
conclusion in force."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hoso.access import policy
from hoso.access.actor import acting_user
from hoso.audit import events
from hoso.audit.chain import record
from hoso.audit.reads import listed
from hoso.cadres import actions, importer, reach, reads
from hoso.cadres.conclusions import case_link, visible_cases
from hoso.cadres.forms import (
    CadreCorrectForm,
    CadreFilterForm,
    CategorySetForm,
    EndForm,
    FindForm,
    KeptByForm,
    PostCorrectForm,
    PostForm,
)
from hoso.cadres.models import Cadre, CadreRule, Entry, Post
from hoso.lib import excel, query, replica
from hoso.lib.respond import attempt
from hoso.orgs.forms import limit_orgs
from hoso.people.importer import Refused
from hoso.people.models import Member
from hoso.people.search import page
from hoso.people.views.imports import UploadForm
from hoso.vetting.forms import NewPersonForm

A = policy.Action
EXPORT_LIMIT = 200_000


def _require_view(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CADRE_VIEW):
        raise Http404
    return user


def _current_posts() -> Prefetch[Any]:
    posts = Post.objects.filter(ended_on__isnull=True).select_related("kind", "organization")
    return Prefetch("posts", queryset=posts.order_by("-started_on", "-id"), to_attr="current")


def _listed(qs: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """What a list row shows; pages are keyset pages on the cadre's copy of the name key."""
    return qs.select_related("person", "category", "committee", "organization").prefetch_related(
        _current_posts()
    )


def conclusion_state(row: Any, today: Any) -> str:
    """in_force, expired or none: from the copy the reminders read (cadres.actions.depends);
    "" for a list row whose current posts depend on no conclusion and that has none."""
    current = getattr(row, "current", None)
    depends = current is None or any(p.kind.key or p.kind.secret or p.kind.elected for p in current)
    if row.conclusion_id is None and not depends:
        return ""
    if row.conclusion_id is None:
        return "none"
    if row.conclusion_until is not None and row.conclusion_until < today:
        return "expired"
    return "in_force"


def _filtered(request: HttpRequest, user: Any) -> tuple[CadreFilterForm, QuerySet[Cadre]]:
    form = CadreFilterForm(request.GET)
    return form, form.apply(Cadre.objects.visible_to(user), user)


def cadre_list(request: HttpRequest) -> HttpResponse:
    user = _require_view(request)
    form, qs = _filtered(request, user)
    rows, following = page(_listed(qs), request.GET.get("after", ""))
    listed(user, "cadres", request.GET, len(rows))
    params = request.GET.copy()
    params.pop("after", None)
    today = timezone.localdate()
    return render(
        request,
        "cadres/list.html",
        {
            "form": form,
            "rows": [(row, conclusion_state(row, today)) for row in rows],
            "next": following,
            "query": params.urlencode(),
            "can_manage": bool(policy.scope_paths(user, A.CADRE_MANAGE)),
        },
    )


def _posts_text(cadre: Cadre) -> str:
    return "; ".join(f"{p.title} ({p.started_on:%d/%m/%Y})" for p in cadre.current)  # type: ignore[attr-defined]


EXPORT_COLUMNS = [
    ("Họ và tên", lambda c: c.person.display_name),
    ("Ngày sinh", lambda c: c.person.birth_date_display()),
    ("Số CCCD", lambda c: c.person.citizen_id or ""),
    ("Diện quản lý", lambda c: c.category.name if c.category_id else ""),
    ("Cấp ủy quản lý", lambda c: c.committee.name if c.committee_id else ""),
    ("Thuộc diện từ ngày", lambda c: c.category_since),
    ("Chức vụ hiện nay", _posts_text),
    ("Tổ chức lưu hồ sơ", lambda c: c.organization.name),
    ("Kết luận làm căn cứ có giá trị đến", lambda c: c.conclusion_until),
]


def export(
    user: Any, title: str, slug: str, columns: Any, rows: Any, details: dict[str, Any]
) -> HttpResponse:
    """A cadre or list export as .xlsx, audited as a read."""
    record(
        events.CADRES_EXPORTED.code,
        actor=user,
        organization=getattr(user, "organization", None),
        details={"list": slug, **details},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        excel.write_table(title, columns, rows), content_type=excel.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-{stamp}.xlsx"'
    return response


def _shown_filters(form: CadreFilterForm) -> dict[str, Any]:
    return {k: str(getattr(v, "code", v)) for k, v in form.cleaned_data.items() if v}


@replica.served
def cadre_export(request: HttpRequest) -> HttpResponse:
    user = _require_view(request)
    form, qs = _filtered(request, user)
    rows = _listed(qs).order_by("sort_key", "id")[:EXPORT_LIMIT].iterator(chunk_size=2000)
    filters = _shown_filters(form) if form.is_valid() else {}
    return export(user, "Danh sách cán bộ", "can-bo", EXPORT_COLUMNS, rows, filters)


# ---- one cadre ----------------------------------------------------------------------------


def _cadre(request: HttpRequest, pk: int) -> Cadre:
    cadre: Cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user).select_related(
            "person", "category", "committee", "organization", "conclusion__case__case_type"
        ),
        pk=pk,
    )
    return cadre


def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    cadre = reads.open_cadre(user, pk)
    manage = policy.can(user, A.CADRE_MANAGE, cadre.organization)
    posts = cadre.posts.select_related("kind", "organization").order_by(
        F("ended_on").desc(nulls_first=True), "-started_on", "-id"
    )
    conclusion = cadre.conclusion
    shown = visible_cases(user, {conclusion.case_id} if conclusion else set())
    member = Member.objects.filter(person=cadre.person).values_list("pk", flat=True).first()
    member_shown = Member.objects.visible_to(user).filter(pk=member).exists() if member else False
    types = CadreRule.current().case_types or [""]
    current = [p for p in posts if p.current]
    today = timezone.localdate()
    return render(
        request,
        "cadres/detail.html",
        {
            "cadre": cadre,
            "person": cadre.person,
            "member": member if member_shown else None,
            "posts": posts,
            "entries": Entry.objects.visible_to(user)
            .filter(person=cadre.person)
            .select_related("plan"),
            "conclusion": conclusion,
            "conclusion_shown": conclusion is not None and conclusion.case_id in shown,
            "state": conclusion_state(cadre, today),
            "manage": manage,
            "category_form": CategorySetForm(
                actor=user, initial={"category": cadre.category_id, "since": today}
            ),
            "post_form": PostForm(actor=user, initial={"started_on": today}),
            "end_form": EndForm(initial={"ended_on": today}),
            "case_url": case_link(
                cadre.person_id,
                member,
                types[0],
                current[0].title if current else str(_("Cadre work")),
            ),
        },
    )


def _back(request: HttpRequest, cadre: Cadre, call: Any, success: str) -> HttpResponse:
    attempt(request, call, success)
    return redirect("cadre-detail", pk=cadre.pk)


def _form_error(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@require_POST
def cadre_category(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre(request, pk)
    user = acting_user(request)
    form = CategorySetForm(request.POST, actor=user)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("cadre-detail", pk=pk)
    data = dict(form.cleaned_data)
    category = data.pop("category")
    return _back(
        request,
        cadre,
        lambda: actions.records.set_category(user, cadre, category, **data),
        _("Management category recorded."),
    )


@require_POST
def cadre_post_add(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre(request, pk)
    user = acting_user(request)
    form = PostForm(request.POST, actor=user)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("cadre-detail", pk=pk)
    return _back(
        request,
        cadre,
        lambda: actions.records.record_post(user, cadre, **form.cleaned_data),
        _("Post recorded."),
    )


def _post(request: HttpRequest, pk: int) -> Post:
    post: Post = get_object_or_404(
        Post.objects.visible_to(request.user).select_related("cadre__organization", "kind"),
        pk=pk,
    )
    return post


@require_POST
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("cadre-detail", pk=post.cadre_id)
    return _back(
        request,
        post.cadre,
        lambda: actions.records.end_post(acting_user(request), post, **form.cleaned_data),
        _("End of the post recorded."),
    )


def _correct(request: HttpRequest, obj: Any, form: Any, call: Any, cadre: Cadre) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        reason = form.cleaned_data["reason"]
        data.pop("reason", None)
        try:
            call(reason=reason, **data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Correction recorded."))
            return redirect("cadre-detail", pk=cadre.pk)
    details = {"post": obj.pk} if obj is not cadre else {}
    reads.note_cadre(acting_user(request), cadre, "correct", **details)
    return render(request, "cadres/correct.html", {"form": form, "cadre": cadre, "obj": obj})


def cadre_correct(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre(request, pk)
    user = acting_user(request)
    if not policy.can(user, A.CADRE_MANAGE, cadre.organization):
        raise policy.Denied(A.CADRE_MANAGE)
    form = CadreCorrectForm(request.POST or None, instance=cadre, actor=user)
    return _correct(
        request,
        cadre,
        form,
        lambda **values: actions.records.correct_cadre(user, cadre, **values),
        cadre,
    )


def post_correct(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    user = acting_user(request)
    if not policy.can(user, A.CADRE_MANAGE, post.cadre.organization):
        raise policy.Denied(A.CADRE_MANAGE)
    form = PostCorrectForm(request.POST or None, instance=post, actor=user)
    return _correct(
        request,
        post,
        form,
        lambda **values: actions.records.correct_post(user, post, **values),
        post.cadre,
    )


# ---- a new cadre record ---------------------------------------------------------------------


def _member(request: HttpRequest, user: Any) -> Member | None:
    member_id = query.record_id(request.GET, "member") or query.record_id(request.POST, "member")
    if member_id is None:
        return None
    member: Member = get_object_or_404(
        Member.objects.visible_to(user, A.CADRE_MANAGE).select_related("person", "organization"),
        pk=member_id,
    )
    return member


def _subject(user: Any, member: Member | None, find: FindForm, person_form: NewPersonForm) -> Any:
    """The person of the new record: the member given, the one found by number, or the
    fields of a new person (None when the form does not say)."""
    if member is not None:
        return member.person
    if find.is_valid() and (find.cleaned_data["citizen_id"] or find.cleaned_data["card_number"]):
        person = reach.find(user, A.CADRE_MANAGE, **find.cleaned_data)
        if person is None:
            find.add_error(None, _("No member or cadre of your scope has this number."))
        return person
    return dict(person_form.cleaned_data) if person_form.is_valid() else None


def cadre_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CADRE_MANAGE):
        raise Http404
    member = _member(request, user)
    find = FindForm(request.POST or None)
    kept = KeptByForm(
        request.POST or None,
        actor=user,
        initial={"organization": member.organization if member else user.organization},
    )
    numbered = any(request.POST.get(name) for name in ("citizen_id", "card_number"))
    wants_new = request.method == "POST" and member is None and not numbered
    person_form = NewPersonForm(request.POST if wants_new else None, prefix="person")
    if request.method == "POST" and kept.is_valid():
        subject = _subject(user, member, find, person_form)
        if subject is None and not find.errors:
            find.add_error(None, _("Give the number of a member or cadre, or a new person."))
        if subject is not None:
            try:
                cadre = actions.records.open_record(
                    user, subject, kept.cleaned_data["organization"]
                )
            except ValueError as exc:
                find.add_error(None, str(exc))
            else:
                messages.success(request, _("Cadre record created."))
                return redirect("cadre-detail", pk=cadre.pk)
    return render(
        request,
        "cadres/new.html",
        {"member": member, "find": find, "kept": kept, "person_form": person_form},
    )


# ---- import ------------------------------------------------------------------------------


class CadreUploadForm(UploadForm):
    """The member import's upload form (size and type checks), for cadre managers."""

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["organization"].label = _("New cadre records are kept by")
        limit_orgs(self, "organization", actor, A.CADRE_MANAGE)


def import_template(request: HttpRequest) -> HttpResponse:
    if not policy.scope_paths(request.user, A.CADRE_MANAGE):
        raise Http404
    response = HttpResponse(importer.template(), content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-can-bo.xlsx"'
    return response


def import_upload(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not policy.scope_paths(user, A.CADRE_MANAGE):
        raise Http404
    form = CadreUploadForm(request.POST or None, request.FILES or None, actor=user)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = actions.imports.import_file(
                upload.file, form.cleaned_data["organization"], user, upload.name
            )
        except Refused as exc:
            form.add_error("file", str(exc))
        except Exception as exc:  # a damaged file must be reported, not crash the page
            if isinstance(exc, policy.Denied):
                raise
            form.add_error("file", _("The file cannot be read as an Excel workbook."))
    return render(
        request,
        "cadres/import.html",
        {"form": form, "report": report, "help": importer.COLUMN_HELP},
    )


# ---- key and secret posts without a conclusion in force --------------------------------------


def _key_posts(user: Any) -> QuerySet[Cadre]:
    today = timezone.localdate()
    held = Post.objects.filter(cadre=OuterRef("pk"), ended_on__isnull=True).filter(
        Q(kind__key=True) | Q(kind__secret=True)
    )
    lacking = Q(conclusion__isnull=True) | Q(conclusion_until__lt=today)
    return Cadre.objects.visible_to(user).filter(lacking).filter(Exists(held))


KEY_COLUMNS = [
    ("Họ và tên", lambda c: c.person.display_name),
    ("Ngày sinh", lambda c: c.person.birth_date_display()),
    ("Chức vụ hiện nay", _posts_text),
    ("Tổ chức lưu hồ sơ", lambda c: c.organization.name),
    ("Kết luận gần nhất có giá trị đến", lambda c: c.conclusion_until),
]


def key_posts(request: HttpRequest) -> HttpResponse:
    """People holding a current key or secret post whose conclusion is missing or past its
    end: facts and dates, for the office to plan its work."""
    user = _require_view(request)
    qs = _listed(_key_posts(user))
    if request.GET.get("format") == "xlsx":
        everyone = qs.order_by("sort_key", "id")[:EXPORT_LIMIT].iterator(chunk_size=2000)
        title = "Chức vụ chủ chốt, trọng yếu chưa có kết luận còn giá trị"
        return export(user, title, "chuc-vu-chua-co-ket-luan", KEY_COLUMNS, everyone, {})
    rows, following = page(qs, request.GET.get("after", ""))
    listed(user, "key-posts", request.GET, len(rows))
    today = timezone.localdate()
    return render(
        request,
        "cadres/key_posts.html",
        {"rows": [(row, conclusion_state(row, today)) for row in rows], "next": following},
    )
