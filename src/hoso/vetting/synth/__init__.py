"""Vetting casework of `hoso synth --full` (people/synthworld.py): cases of every type of the
catalogue from 2022 to the day of the load, each with its dated history as the workflow table
allows it, its team and plan, the decision to verify, the verification requests (numbered
slips) with their replies (incoming documents), reminders, the appraisal report and the
conclusion (numbered in the competent committee's register), a few corrections.

Who is vetted:
- admissions: a share of the members the life-cycle stage admitted, vetted before their
  admission decision and found to meet the standard; applicants who are not members (yet):
  still open, withdrawn, found not to meet it or not yet admitted, some of them a member's
  child, linked both ways (the member declared them; they declare the member as a parent);
- recruitment and some council candidates: persons who are not members;
- the second records without an ID of people/synth.py, typed again for a case;
- everyone else: members of the province, preferably in the age of cadres; a member married
  to another member declares a spouse whom the officer linked to that member's person record
  (Relative.identity), and some of those spouses are vetted too: one person, two roles.

Fates are drawn so that most cases are concluded, some still open, some overdue (slow cases,
replies that never came), some withdrawn, suspended or waiting for more documents.
"""

from __future__ import annotations

from hoso.people import hooks
from hoso.people.synthworld import Batch, World
from hoso.vetting.synth.frame import Setup
from hoso.vetting.synth.subjects import Cases


def setup(world: World) -> Setup:
    return Setup(world)


def province(batch: Batch, setup: Setup) -> None:
    states = Cases(batch, setup).run()
    for state, n in states.items():
        batch.world.counts[f"cases {state}"] += n


STAGE = hooks.SynthStage(20, "vetting cases", setup, province)
