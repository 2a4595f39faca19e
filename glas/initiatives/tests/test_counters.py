"""Live counters: exact under concurrent signing (no lost updates, no double counts), read as a
sum of a fixed number of shard rows."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from glas.core.exceptions import DomainError
from glas.initiatives import services
from glas.initiatives.models import COUNTER_SHARDS, Signature, SignatureCounter
from glas.initiatives.selectors import settlement_counts, signature_count


def _exact(initiative) -> tuple[int, int, int]:
    counting = Signature.objects.filter(initiative=initiative, status__in=Signature.COUNTING)
    return counting.count(), signature_count(initiative), counting.values("identity_key").distinct().count()


def test_rows_counter_and_distinct_signers_agree_after_signing_withdrawing_and_holding(
    collecting, make_resident, council_secretary
):
    residents = [make_resident(slug) for slug in ("kresna", "kresna", "slivnitsa", "oshtava", "vlahi")]
    for resident in residents:
        services.signature_sign(actor=resident, initiative=collecting)
    services.signature_withdraw(actor=residents[0], initiative=collecting)
    held = services.signature_sign(actor=make_resident(), initiative=collecting, hold=True)
    assert _exact(collecting) == (4, 4, 4)
    services.signature_review(actor=council_secretary, signature=held, accept=False, reason="Масово подписване")
    assert _exact(collecting) == (4, 4, 4)
    by_place = {s.slug: n for s, n in settlement_counts(collecting)}
    assert by_place == {"kresna": 1, "slivnitsa": 1, "oshtava": 1, "vlahi": 1}


def test_the_counter_has_a_fixed_number_of_shard_rows_whatever_the_signatures(collecting, make_resident):
    before = SignatureCounter.objects.filter(initiative=collecting).count()
    for _ in range(5):
        services.signature_sign(actor=make_resident(), initiative=collecting)
    assert SignatureCounter.objects.filter(initiative=collecting).count() == before
    assert SignatureCounter.objects.filter(initiative=collecting, settlement__isnull=True).count() == COUNTER_SHARDS


def test_reading_the_count_is_one_query(collecting, django_assert_num_queries):
    with django_assert_num_queries(1):
        signature_count(collecting)


def _run_concurrently(targets):
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def run(target):
        try:
            barrier.wait()
            target()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_signatures_of_one_person_make_one_row_and_add_one(collecting, make_resident):
    resident = make_resident()
    outcomes = _run_concurrently([lambda: services.signature_sign(actor=resident, initiative=collecting)] * 20)
    assert sorted(outcomes) == ["already_signed"] * 19 + ["ok"]
    assert _exact(collecting) == (1, 1, 1)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_signers_online_and_on_paper_are_all_counted_exactly(collecting, make_resident, promoter, new_egn):
    residents = [make_resident(("kresna", "slivnitsa")[n % 2]) for n in range(24)]
    egns = [new_egn() for _ in range(16)]
    targets = [lambda r=r: services.signature_sign(actor=r, initiative=collecting) for r in residents]
    targets += [
        lambda n=n, egn=egn: services.signature_enter_paper(
            actor=promoter,
            initiative=collecting,
            sheet_number=1 + n // 10,
            line_number=1 + n % 10,
            full_name="Иван Петров Иванов",
            egn=egn,
            address="ул. Шипка 1",
            settlement=collecting.municipality.settlements.get(slug="kresna"),
        )
        for n, egn in enumerate(egns)
    ]
    # The same people once more, at the same time: none of them may count twice.
    targets += [lambda r=r: services.signature_sign(actor=r, initiative=collecting) for r in residents[:8]]
    outcomes = _run_concurrently(targets)
    assert outcomes.count("ok") == 40
    assert outcomes.count("already_signed") == 8
    assert _exact(collecting) == (40, 40, 40)
    assert sum(n for _s, n in settlement_counts(collecting)) == 40


def test_signing_moves_exactly_one_counter_row(collecting, make_resident):
    resident = make_resident("oshtava")
    before = dict(SignatureCounter.objects.filter(initiative=collecting).values_list("pk", "count"))
    services.signature_sign(actor=resident, initiative=collecting)
    after = dict(SignatureCounter.objects.filter(initiative=collecting).values_list("pk", "count"))
    moved = {pk for pk in before if after[pk] != before[pk]}
    assert len(moved) == 1
    assert SignatureCounter.objects.get(pk=moved.pop()).settlement.slug == "oshtava"


def test_the_migration_turns_old_totals_into_remainders(collecting, make_resident):
    """Before 0003 the rows without a settlement held the total; converting keeps every count."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("glas.initiatives.migrations.0003_counter_rows_without_total")
    for slug in ("kresna", "oshtava", "oshtava"):
        services.signature_sign(actor=make_resident(slug), initiative=collecting)
    by_place = {s.slug: n for s, n in settlement_counts(collecting)}
    # Write the old layout: the total on the "no settlement" rows.
    SignatureCounter.objects.filter(initiative=collecting, settlement__isnull=True, shard=3).update(count=3)
    migration.totals_to_remainders(apps, None)
    assert signature_count(collecting) == 3
    assert {s.slug: n for s, n in settlement_counts(collecting)} == by_place
    assert not SignatureCounter.objects.filter(initiative=collecting, settlement__isnull=True).exclude(count=0)
    migration.remainders_to_totals(apps, None)
    assert SignatureCounter.objects.get(initiative=collecting, settlement__isnull=True, shard=0).count == 3
