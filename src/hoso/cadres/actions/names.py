"""The cadre's copies of its person's collation key and folded names, kept in step.

A person's name changes only by an action (a correction, an identity decision), which saves
the Person; Person.save() keeps its member's copies itself, and this receiver of Person's
post_save (connected in CadresConfig.ready(): people does not know about cadres) keeps the
cadre's, inside the same transaction. Nothing is written when the copies already agree, so a
person saved without a name change (every new person) costs one indexed read.
"""

from __future__ import annotations

from typing import Any

from hoso.cadres.models import Cadre


def person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    stale = Cadre.objects.filter(person_id=instance.pk).exclude(
        sort_key=instance.sort_key, search_text=instance.search_text
    )
    if stale.exists():
        stale.update(sort_key=instance.sort_key, search_text=instance.search_text)
