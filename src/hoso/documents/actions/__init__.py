"""Every change to documents, one module a topic (as Zulip's zerver/actions/): numbering and
cancelling outgoing papers, the copy register, paper templates."""

from hoso.documents.actions import copies, numbering, templates

__all__ = ["copies", "numbering", "templates"]
