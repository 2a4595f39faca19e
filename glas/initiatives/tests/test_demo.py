"""The demo seeder: a referendum in collection with synthetic signatures and a petition; idempotent."""

from __future__ import annotations

from glas.initiatives.models import Initiative, Signature
from glas.initiatives.selectors import signature_count


def test_the_demo_seeder_is_idempotent_and_clearly_marked(kresna, legal_rules):
    from glas.accounts.demo import seed_personas
    from glas.initiatives.demo import ONLINE_SIGNATURES, PAPER_SIGNATURES, seed_initiatives

    seed_personas(print)
    seed_initiatives(print)
    seed_initiatives(print)
    referendum = Initiative.objects.get(kind="referendum")
    assert referendum.is_demo and referendum.status == "collecting" and referendum.title.startswith("ДЕМО")
    assert signature_count(referendum) == PAPER_SIGNATURES + ONLINE_SIGNATURES
    assert Signature.objects.filter(initiative=referendum, channel="paper").count() == PAPER_SIGNATURES
    assert Initiative.objects.get(kind="petition").is_demo
    assert Initiative.objects.count() == 2
