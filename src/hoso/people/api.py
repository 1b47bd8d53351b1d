from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response

from hoso.access.actor import acting_user
from hoso.access.policy import Action
from hoso.audit.reads import AuditedList
from hoso.lib import query
from hoso.lib.api import ReadSerializer
from hoso.orgs.forms import scoped_orgs
from hoso.people import actions, identity, reads
from hoso.people.actions.identity import IdentityError
from hoso.people.filters import MemberFilterForm
from hoso.people.models import IdentityDecision, Member, Person, Relative, Sex
from hoso.people.search import page


class MemberSerializer(ReadSerializer[Member]):
    full_name = serializers.CharField(source="person.full_name")
    family_name = serializers.CharField(source="person.family_name")
    middle_name = serializers.CharField(source="person.middle_name")
    given_name = serializers.CharField(source="person.given_name")
    sex = serializers.CharField(source="person.sex")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    birth_date_precision = serializers.CharField(source="person.birth_date_precision")
    home_town = serializers.CharField(source="person.home_town")
    citizen_id = serializers.CharField(source="person.citizen_id", allow_null=True)
    organization_code = serializers.CharField(source="organization.code")

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "sex",
            "birth_date",
            "birth_date_precision",
            "home_town",
            "citizen_id",
            "organization",
            "organization_code",
            "status",
            "left_form",
            "card_number",
            "admitted_on",
            "ceremony_on",
            "official_on",
        ]


FILTERS = [
    OpenApiParameter("search", str, description="name however typed, or an identifier"),
    OpenApiParameter("org", str, description="organization code; includes its units"),
    OpenApiParameter("status", str, description="empty: current members; 'all'; or a status"),
    # `cursor` comes from the paginator.
]


class KeysetPagination(BasePagination):
    """Keyset pages in Vietnamese name order (`search.page`): `{"next", "results"}`, where
    `next` is the cursor of the following page or null on the last one. No count, no offset."""

    following = ""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        rows, self.following = page(queryset, request.query_params.get("cursor", ""))
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.following or None, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "description": "`cursor` of the next page; null on the last page",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "the `next` value of the previous page",
                "schema": {"type": "string"},
            }
        ]


class MemberViewSet(AuditedList, viewsets.ReadOnlyModelViewSet[Member]):
    """Party members in the caller's scope, in Vietnamese name order, by keyset pages."""

    audited_as = "members"

    serializer_class = MemberSerializer
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[Member]:
        qs: QuerySet[Member] = Member.objects.visible_to(self.request.user)
        return qs.select_related("person", "organization")

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params
        form = MemberFilterForm(
            {
                "q": params.get("search", ""),
                "org": params.get("org", ""),
                "status": params.get("status", ""),
            }
        )
        rows = self.paginate_queryset(form.apply(self.get_queryset(), request.user)) or []
        return self.get_paginated_response(MemberSerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = reads.open_member(acting_user(request), self.kwargs["pk"])
        return Response(MemberSerializer(member).data)


# --- Persons and relatives: identity ---------------------------------------------------------


class PersonSerializer(ReadSerializer[Person]):
    full_name = serializers.CharField()
    member = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "full_name", "family_name", "middle_name", "given_name", "sex", "birth_date",
            "birth_date_precision", "home_town", "residence", "citizen_id", "old_id",
            "merged_into", "member",
        ]  # fmt: skip

    def get_member(self, person: Person) -> int | None:
        member = getattr(person, "member", None)
        return None if member is None else member.pk


class RelativeSerializer(ReadSerializer[Relative]):
    """A declared relative without the sensitive notes (they are read on the resume page,
    revealed with a reason)."""

    relationship = serializers.CharField(source="relationship.code")
    declared_by = serializers.IntegerField(source="person_id")

    class Meta:
        model = Relative
        fields = [
            "id", "declared_by", "relationship", "side", "full_name", "birth_year",
            "residence", "occupation", "party_member", "abroad_country", "identity",
        ]  # fmt: skip


class PairSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(source="person.pk")
    other = serializers.SerializerMethodField(help_text="p<id> for a person, r<id> for a relative")
    evidence = serializers.ListField(child=serializers.CharField())

    def get_other(self, pair: identity.Pair) -> str:
        return f"{pair.kind}{pair.other.pk}"


class DecisionSerializer(ReadSerializer[IdentityDecision]):
    class Meta:
        model = IdentityDecision
        fields = ["id", "kind", "person", "other", "relative", "reason", "at"]


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(min_length=5, max_length=500)


class OtherSerializer(ReasonSerializer):
    other = serializers.RegexField(r"^[pr]?\d{1,18}$", help_text="p<id> (or <id>) or r<id>")


class LinkSerializer(ReasonSerializer):
    person = serializers.IntegerField(min_value=1)


class MakePersonSerializer(ReasonSerializer):
    sex = serializers.ChoiceField(choices=Sex.choices)


def _valid(serializer: Any, request: Request) -> dict[str, Any]:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _decided(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except IdentityError as exc:
        raise ValidationError({"detail": str(exc)}) from None


def _person(user: Any, pk: int) -> Person:
    found = identity.visible_persons(user).filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def _other(user: Any, raw: str) -> Person | Relative:
    if raw.startswith("r"):
        found = Relative.objects.visible_to(user).filter(pk=int(raw[1:])).first()
        if found is None:
            raise NotFound
        return found
    return _person(user, int(raw.removeprefix("p")))


class PersonViewSet(viewsets.GenericViewSet[Person]):
    """One human being across members, relatives and subjects. Reading a person is audited;
    every decision needs person.link and a reason. No list: persons are reached from the
    records that name them, or from the duplicates of a scope."""

    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return identity.visible_persons(self.request.user)

    def retrieve(self, request: Request, pk: str, format: str | None = None) -> Response:
        return Response(PersonSerializer(reads.open_person(acting_user(request), int(pk))).data)

    @extend_schema(responses=PairSerializer(many=True))
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, pk: str, format: str | None = None) -> Response:
        """Persons and declared relatives that may be this person (proposals only)."""
        user = acting_user(request)
        person = reads.open_person(user, int(pk))
        return Response(PairSerializer(identity.candidates_for(user, person), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("org", str, required=True, description="organization code")],
        responses=PairSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request: Request, format: str | None = None) -> Response:
        """Every candidate pair under an organization of the caller's scope (audited)."""
        user = acting_user(request)
        org = (
            scoped_orgs(user, Action.PERSON_LINK)
            .filter(code=request.query_params.get("org", "").upper())
            .first()
        )
        if org is None:  # missing or outside the scope: the same answer
            raise ValidationError({"org": _("No organization with this code in your scope.")})
        return Response(PairSerializer(reads.list_duplicates(user, org), many=True).data)

    @extend_schema(request=OtherSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str, format: str | None = None) -> Response:
        """`other` (a person) is the same human being as this one: merged into it."""
        user = acting_user(request)
        kept = _person(user, int(pk))  # the record first: a foreign one is missing, whatever sent
        values = _valid(OtherSerializer, request)
        other = _other(user, values["other"])
        if not isinstance(other, Person):
            raise ValidationError({"other": "a person (p<id>), not a relative"})
        kept = _decided(actions.identity.merge, user, kept, other, reason=values["reason"])
        return Response(PersonSerializer(kept).data)

    @extend_schema(request=ReasonSerializer, responses=PersonSerializer)
    @action(detail=True, methods=["post"])
    def unmerge(self, request: Request, pk: str, format: str | None = None) -> Response:
        user = acting_user(request)
        person = _person(user, int(pk))
        person = _decided(
            actions.identity.unmerge, user, person, **_valid(ReasonSerializer, request)
        )
        return Response(PersonSerializer(person).data)

    @extend_schema(request=OtherSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def distinct(self, request: Request, pk: str, format: str | None = None) -> Response:
        """The pair (this person, `other`) are two people: no longer proposed."""
        user = acting_user(request)
        person = _person(user, int(pk))
        values = _valid(OtherSerializer, request)
        decision = _decided(actions.identity.mark_distinct, user, person,
                            _other(user, values["other"]), reason=values["reason"])  # fmt: skip
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class RelativeViewSet(viewsets.GenericViewSet[Relative]):
    """The relatives a member declared (`?member=ID`, required: reading them is reading the
    member's resume, audited) and the identity decisions about one relative."""

    serializer_class = RelativeSerializer

    def get_queryset(self) -> QuerySet[Relative]:
        qs: QuerySet[Relative] = Relative.objects.visible_to(self.request.user)
        return qs.select_related("relationship")

    @extend_schema(
        parameters=[OpenApiParameter("member", int, required=True)],
        responses=RelativeSerializer(many=True),
    )
    def list(self, request: Request, format: str | None = None) -> Response:
        pk = query.record_id(request.query_params, "member")
        if pk is None:
            raise ValidationError({"member": "the member whose relatives to list"})
        try:
            member = reads.open_member(acting_user(request), pk, page="relatives")
        except Http404:  # a member outside the scope has, for the caller, no relatives
            return Response([])
        shown = Relative.objects.opened_to(request.user).select_related(
            "relationship"
        )
        rows = shown.filter(person=member.person_id)
        return Response(RelativeSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str, format: str | None = None) -> Response:
        return Response(RelativeSerializer(reads.open_relative(acting_user(request), int(pk))).data)

    @extend_schema(responses=PairSerializer(many=True))
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, pk: str, format: str | None = None) -> Response:
        user = acting_user(request)
        relative = reads.open_relative(user, int(pk), page="relative-candidates")
        pairs = identity.persons_for_relative(user, relative)
        return Response(PairSerializer(pairs, many=True).data)

    @extend_schema(request=LinkSerializer, responses=RelativeSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str, format: str | None = None) -> Response:
        user, relative = acting_user(request), self.get_object()
        values = _valid(LinkSerializer, request)
        relative = _decided(actions.identity.link_relative, user, relative,
                            _person(user, values["person"]), reason=values["reason"])  # fmt: skip
        return Response(RelativeSerializer(relative).data)

    @extend_schema(request=ReasonSerializer, responses=RelativeSerializer)
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str, format: str | None = None) -> Response:
        user, relative = acting_user(request), self.get_object()
        values = _valid(ReasonSerializer, request)
        relative = _decided(actions.identity.unlink_relative, user, relative, **values)
        return Response(RelativeSerializer(relative).data)

    @extend_schema(request=MakePersonSerializer, responses={201: PersonSerializer})
    @action(detail=True, methods=["post"], url_path="make-person")
    def make_person(self, request: Request, pk: str, format: str | None = None) -> Response:
        """A person record of the relative's own (to vet them), linked to the relative."""
        user, relative = acting_user(request), self.get_object()
        values = _valid(MakePersonSerializer, request)
        person = _decided(actions.identity.person_from_relative, user, relative, **values)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)
