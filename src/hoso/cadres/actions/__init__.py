"""Every change to cadres, posts and lists: checked against the policy, atomic, audited.

`records` (cadre records, categories, posts, corrections), `plans` (planning and candidacy
lists and their entries), `depends` (the copies of the conclusions they depend on), `imports`
(an Excel cadre list)."""

from hoso.cadres.actions import depends, imports, names, plans, records

__all__ = ["depends", "imports", "names", "plans", "records"]
