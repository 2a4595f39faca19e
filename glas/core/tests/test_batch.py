"""``glas.core.batch``: statements written by the ORM, run together, all or nothing; and
``glas.core.compiled``: statements the ORM writes once, run again with new keys. Both are
checked against what the ORM itself writes and reads, on SQLite and on PostgreSQL (where the
batch is one message, its own transaction when none is open)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection
from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django_tasks_db.models import DBTaskResult

from glas.core.batch import Batch
from glas.core.compiled import compiled
from glas.core.enqueue import enqueue_in_batch
from glas.core.models import AuditEntry, Municipality, Settlement
from glas.core.tasks import send_notification_email

# Each test runs inside the test's transaction (the batch takes a savepoint) and outside any
# transaction (on PostgreSQL the batch is then one implicit transaction).
both_ways = pytest.mark.parametrize("database", ["db", "transactional_db"], indirect=True)


@pytest.fixture
def database(request):
    return request.getfixturevalue(request.param)


def _entry(action: str, **data: object) -> AuditEntry:
    return AuditEntry(
        action=action,
        data=data,
        content_type=ContentType.objects.get_for_model(AuditEntry),
        object_id="7",
        object_repr="Кресна",
    )


def _municipality() -> Municipality:
    return Municipality.objects.create(name="Тест", code="test-batch", province="Благоевград")


def _row(entry: AuditEntry) -> tuple:
    return AuditEntry.objects.filter(pk=entry.pk).values_list(
        "action", "data", "content_type_id", "object_id", "object_repr", "created_at", "actor_id"
    )[0]


@both_ways
def test_rows_are_written_as_save_writes_them_with_keys_and_signals(database):
    seen: list[tuple[str, object]] = []

    def pre(sender, instance, **kwargs):
        seen.append(("pre", instance))

    def post(sender, instance, created, **kwargs):
        seen.append(("post", instance.pk))

    pre_save.connect(pre, sender=AuditEntry)
    post_save.connect(post, sender=AuditEntry)
    try:
        when = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
        first, second, twin = _entry("x.first", n=1), _entry("x.second", text="ъ „а“"), _entry("x.second", text="ъ „а“")
        first.created_at = second.created_at = twin.created_at = when
        batch = Batch()
        batch.insert(first)
        batch.insert(second)  # the second row of a model reuses the first one's statement
        assert batch.run() == [1, 1]
    finally:
        pre_save.disconnect(pre, sender=AuditEntry)
        post_save.disconnect(post, sender=AuditEntry)
    twin.save()
    assert first.pk and second.pk and first.pk != second.pk
    assert not first._state.adding and first._state.db == "default"
    assert _row(second)[:6] == _row(twin)[:6]
    assert _row(first)[:2] == ("x.first", {"n": 1})
    assert [kind for kind, _ in seen] == ["pre", "pre", "post", "post"]
    assert seen[2][1] == first.pk


@both_ways
def test_a_refused_statement_writes_nothing_of_the_batch(database):
    ContentType.objects.get_for_model(AuditEntry)
    municipality = _municipality()
    Settlement.objects.create(kind="village", municipality=municipality, name="Едно", slug="edno", ekatte="99998")
    batch = Batch()
    batch.insert(_entry("x.before"))
    batch.insert(
        Settlement(kind="village", municipality=municipality, name="Две", slug="edno", ekatte="99997")
    )  # slug taken
    with pytest.raises(IntegrityError):
        batch.run()
    assert not AuditEntry.objects.filter(action="x.before").exists()
    assert Settlement.objects.filter(municipality=municipality).count() == 1


@both_ways
def test_updates_return_the_rows_they_touched(database):
    municipality = _municipality()
    place = Settlement.objects.create(
        kind="village", municipality=municipality, name="Едно", slug="edno", ekatte="99998"
    )
    batch = Batch()
    batch.update(Settlement.objects.filter(pk=place.pk), name=F("slug"))
    batch.update(Settlement.objects.filter(pk=-1), name="никой")
    assert batch.run() == [1, 0]
    place.refresh_from_db()
    assert place.name == "edno"


def test_callbacks_wait_for_the_commit(db, django_capture_on_commit_callbacks):
    called = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = Batch()
        batch.insert(_entry("x.callback"))
        batch.after(lambda: called.append(True))
        batch.run()
        assert not called
    assert len(callbacks) == 1 and called == [True]


def test_the_database_task_backend_writes_the_task_row_in_the_batch(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    batch = Batch()
    batch.insert(_entry("x.task"))
    enqueue_in_batch(batch, send_notification_email, 51)
    batch.run()
    row = DBTaskResult.objects.get(args_kwargs__args=[51])
    twin = send_notification_email.enqueue(52)  # the backend's own row, to compare
    own = DBTaskResult.objects.get(pk=twin.id)
    fields = ("status", "priority", "task_path", "queue_name", "backend_name", "run_after")
    assert [getattr(row, f) for f in fields] == [getattr(own, f) for f in fields]


def test_other_task_backends_enqueue_after_the_batch_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        batch = Batch()
        enqueue_in_batch(batch, send_notification_email, 53)
        batch.run()
    assert len(callbacks) == 1


def _settlement_by_ekatte():
    return compiled(
        "tests.settlement_by_ekatte",
        lambda ekatte: Settlement.objects.only("name", "municipality").filter(ekatte=ekatte, slug__gt=""),
        key_fields=[Settlement._meta.get_field("ekatte")],
        samples=["sample-ekatte"],
    )


def test_a_compiled_read_gives_what_the_orm_gives(db):
    municipality = _municipality()
    for number in range(3):
        Settlement.objects.create(
            kind="village", municipality=municipality, name=f"М{number}", slug=f"m{number}", ekatte=f"9000{number}"
        )
    query = _settlement_by_ekatte()
    assert _settlement_by_ekatte() is query  # compiled once
    for number in range(3):
        found = query.instance(f"9000{number}")
        expected = Settlement.objects.only("name", "municipality").get(ekatte=f"9000{number}")
        assert (found.pk, found.name, found.municipality_id) == (expected.pk, expected.name, expected.municipality_id)
        assert found.get_deferred_fields() == expected.get_deferred_fields()
    assert query.instance("nowhere") is None


def test_a_compiled_read_converts_json_and_uuid_as_the_orm_does(db):
    entry = _entry("x.json", nested={"a": [1, "б"]})
    entry.save()
    query = compiled(
        "tests.audit_by_pk",
        lambda pk: AuditEntry.objects.only("data", "created_at").filter(pk=pk),
        key_fields=[AuditEntry._meta.pk],
        samples=[-5],
    )
    found = query.instance(entry.pk)
    assert found.data == {"nested": {"a": [1, "б"]}}
    assert found.created_at == AuditEntry.objects.get(pk=entry.pk).created_at
    key = uuid.uuid4()
    by_task = compiled(
        "tests.task_by_id",
        lambda pk: DBTaskResult.objects.filter(pk=pk).values_list("task_path"),
        key_fields=[DBTaskResult._meta.pk],
        samples=[uuid.UUID(int=1)],
    )
    assert by_task.fetchone(key) is None


def test_a_compiled_read_of_many_rows_follows_select_related_as_the_orm_does(db, make_user, django_assert_num_queries):
    """Rows with and without the related row (a nullable key: a left join), two relations,
    a deferred column, the order and the slice of the queryset."""
    person = make_user("auditor@example.org", display_name="Ива")
    for number, actor in enumerate([person, None, person]):
        entry = _entry(f"read.{number}", n=number)
        entry.actor = actor
        entry.object_id = "42"
        entry.save()
    _entry("read.other").save()  # another object: not read

    def build(object_id):
        return (
            AuditEntry.objects.select_related("actor", "content_type")
            .defer("data")
            .filter(object_id=object_id)
            .order_by("-id")[:2]
        )

    query = compiled(
        "tests.audit_with_actor",
        build,
        key_fields=[AuditEntry._meta.get_field("object_id")],
        samples=["sample-object"],
    )
    found, expected = query.instances("42"), list(build("42"))
    assert [entry.pk for entry in found] == [entry.pk for entry in expected] and len(found) == 2
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.get_deferred_fields() == theirs.get_deferred_fields() == {"data"}
        assert mine.action == theirs.action and mine.created_at == theirs.created_at
        assert AuditEntry.actor.is_cached(mine) and AuditEntry.content_type.is_cached(mine)
        assert (mine.actor and mine.actor.display_name) == (theirs.actor and theirs.actor.display_name)
        assert mine.content_type.model == theirs.content_type.model == "auditentry"
    assert found[0].actor is not None and found[1].actor is None
    with django_assert_num_queries(0):
        assert found[0].actor.email == "auditor@example.org"
    assert query.instances("nothing") == [] and query.instance("42").pk == expected[0].pk


def test_a_compiled_read_of_rows_sets_annotations_as_the_orm_does(db):
    """An ``Exists`` annotation (a boolean the database gives as 0/1 on SQLite) and a count, set
    on each instance as attributes, after the relation the row also reads."""
    from django.db.models import Count, Exists, OuterRef

    municipality = _municipality()
    for number in range(2):
        Settlement.objects.create(
            kind="village", municipality=municipality, name=f"А{number}", slug=f"a{number}", ekatte=f"9100{number}"
        )

    def build(code):
        siblings = Settlement.objects.filter(municipality=OuterRef("municipality"), name="А1")
        return (
            Settlement.objects.select_related("municipality")
            .filter(municipality__code=code)
            .annotate(has_a1=Exists(siblings), named=Count("name"))
            .order_by("name")
        )

    query = compiled(
        "tests.settlements_annotated",
        build,
        key_fields=[Settlement._meta.get_field("municipality").target_field.model._meta.get_field("code")],
        samples=["sample-code"],
    )
    found, expected = query.instances(municipality.code), list(build(municipality.code))
    assert [(s.name, s.has_a1, s.named) for s in found] == [(s.name, s.has_a1, s.named) for s in expected]
    assert all(s.has_a1 is True for s in found) and found[0].municipality.code == municipality.code


@both_ways
def test_a_compiled_update_goes_in_a_batch(database):
    municipality = _municipality()
    place = Settlement.objects.create(
        kind="village", municipality=municipality, name="Едно", slug="edno", ekatte="99998"
    )
    rename = compiled(
        "tests.rename",
        lambda pk, municipality: Settlement.objects.filter(pk=pk, municipality_id=municipality),
        key_fields=[Settlement._meta.pk, Settlement._meta.get_field("municipality")],
        samples=[2_000_000_001, 2_000_000_002],
        update={"name": F("slug")},
    )
    batch = Batch()
    batch.execute(rename, place.pk, municipality.pk)
    batch.execute(rename, place.pk, municipality.pk + 1)
    assert batch.run() == [1, 0]


def test_a_sample_that_is_not_exactly_one_parameter_is_refused(db):
    with pytest.raises(ValueError, match="exactly one parameter"):
        compiled(
            "tests.ambiguous",
            lambda name: Settlement.objects.filter(name=name, slug=name),
            key_fields=[Settlement._meta.get_field("name")],
            samples=["same"],
        )


def test_the_batch_is_one_round_trip_on_postgresql(db, django_assert_num_queries):
    if connection.vendor != "postgresql":
        pytest.skip("one message for the whole batch on PostgreSQL; SQLite runs the statements one by one")
    batch = Batch()
    for number in range(3):
        batch.insert(_entry(f"x.trip{number}"))
    with django_assert_num_queries(3):  # the savepoint, the batch, its release
        batch.run()


def test_a_compiled_read_of_values_pages_and_converts_as_the_orm_does(db):
    municipality = _municipality()
    for number in range(5):
        Settlement.objects.create(
            kind="village", municipality=municipality, name=f"С{number}", slug=f"s{number}", ekatte=f"8000{number}"
        )

    def build(municipality_id):
        return Settlement.objects.filter(municipality_id=municipality_id).order_by("slug").values_list("slug", "voters")

    query = compiled(
        "tests.settlement_slugs",
        build,
        key_fields=[Settlement._meta.get_field("municipality")],
        samples=[2_000_000_003],
    )
    expected = list(build(municipality.pk))
    assert query.rows(municipality.pk) == expected and len(expected) == 5
    assert query.rows(municipality.pk, limit=2, offset=3) == expected[3:5]
    sliced = compiled(
        "tests.settlement_slugs_sliced",
        lambda municipality_id: build(municipality_id)[:2],
        key_fields=[Settlement._meta.get_field("municipality")],
        samples=[2_000_000_003],
    )
    assert sliced.rows(municipality.pk) == expected[:2]
    with pytest.raises(ValueError, match="own LIMIT"):
        sliced.rows(municipality.pk, limit=1)
