"""What the registers of outgoing and incoming documents are searched by, for the register
pages (and their Excel export) and the API alike: one reading of `?q=`, `?year=`, `?kind=`,
`?unfiled=`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from hoso.documents.models import DocumentKind, OutgoingDocument
from hoso.lib import query

_D = TypeVar("_D", bound=Model)


def search(documents: QuerySet[_D], text: str) -> QuerySet[_D]:
    """The search box: the summary, the number (an outgoing document's reference, an incoming
    one's sender reference) or the id of what the document belongs to."""
    text = text.strip()
    if not text:
        return documents
    number_field = "reference" if documents.model is OutgoingDocument else "sender_reference"
    return documents.filter(
        Q(summary__icontains=text) | Q(object_id=text) | Q(**{f"{number_field}__icontains": text})
    )


def filtered(documents: QuerySet[_D], params: Mapping[str, str]) -> QuerySet[_D]:
    """`documents` narrowed by the request's parameters: `q` (see `search`), `year` (the
    year of issue of an outgoing document, the arrival year of an incoming one) and, for
    outgoing documents, `kind` (a document type code); for incoming ones, `unfiled=1` (those
    that belong to no record yet: no case, request for help, petition ... took them). An
    unusable year or an unknown type raises `query.BadParameter` (a 400)."""
    outgoing = documents.model is OutgoingDocument
    documents = search(documents, params.get("q") or "")
    year = query.year(params, default=0)  # 0 is below the bounds: no year asked for
    if year:
        documents = documents.filter(**{"issued_on__year" if outgoing else "year": year})
    code = (params.get("kind") or "").strip()
    if outgoing and code:
        if not DocumentKind.objects.filter(code=code).exists():
            raise query.BadParameter(
                "kind", _("“kind” must be the code of a document type, such as CV or KH.")
            )
        documents = documents.filter(kind__code=code)
    if not outgoing and params.get("unfiled") == "1":
        documents = documents.filter(object_type="")
    return documents
