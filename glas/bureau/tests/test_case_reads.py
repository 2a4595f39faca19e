"""The case page's reads go through compiled statements (``selectors.case_read`` and
``access._case_by_reference``); each must give what the ORM's own query gives."""

from __future__ import annotations

from typing import Any

from glas.bureau import access, selectors
from glas.bureau.models import Case, CaseMessage, Referral, Service
from glas.bureau.tests.conftest import make_article


def _pks(rows: Any) -> list[int]:
    return [row.pk for row in rows]


def test_every_case_read_gives_what_the_orm_gives(
    register, advisor, other_advisor, supervisor, django_assert_num_queries
):
    case = register(advisor)
    register(advisor)  # another case, whose rows must not be read
    for kind, author in [("citizen", None), ("note", advisor), ("reply", advisor), ("note", supervisor)]:
        CaseMessage.objects.create(case=case, kind=kind, author=author, body=f"{kind} <b>текст</b>")
    service = Service.objects.create(name="Дирекция „Социално подпомагане“", kind="outside", helps_with="помощи")
    Referral.objects.create(case=case, service=service, note="", referred_by=advisor)
    case.shared_with.add(other_advisor)
    for number, (title, reviewer) in enumerate([("Б статия", supervisor), ("А статия", supervisor), ("В", None)]):
        make_article(advisor, slug=f"article-{number}", title=title, reviewer=reviewer).cases.add(case)

    orm = {
        "case_messages": CaseMessage.objects.filter(case=case).select_related("author").order_by("created_at", "id"),
        "public_messages": CaseMessage.objects.filter(case=case).exclude(kind="note").order_by("created_at", "id"),
        "deadlines": case.deadlines.all(),
        "referrals": case.referrals.all(),
        "shared_with": case.shared_with.all(),
        "articles": case.articles.filter(status="published"),
    }
    for name, expected in orm.items():
        found = selectors.case_read(name, case)
        assert _pks(found) == _pks(expected) and found, name
    messages = selectors.case_read("case_messages", case)
    assert [m.kind for m in messages] == ["citizen", "note", "reply", "note"]
    assert "note" not in [m.kind for m in selectors.case_messages(case, internal=False)]
    assert [a.title for a in selectors.case_read("articles", case)] == ["А статия", "Б статия"]
    with django_assert_num_queries(0):  # the related rows came with the read
        assert [m.author and m.author.public_name for m in messages][:2] == [None, advisor.public_name]
    referrals = selectors.case_read("referrals", case)
    with django_assert_num_queries(0):
        assert referrals[0].service.name == service.name

    found = access._case_by_reference(case.reference)
    expected = Case.objects.select_related("settlement", "assigned_to", "citizen").get(pk=case.pk)
    assert found.pk == expected.pk and found.subject == expected.subject and found.due_on == expected.due_on
    with django_assert_num_queries(0):
        assert found.assigned_to.public_name == expected.assigned_to.public_name
        assert found.settlement == expected.settlement and found.citizen is None
    found.subject = "Променен предмет"
    found.save(update_fields=["subject"])  # an instance the ORM can save, as its own
    assert Case.objects.get(pk=case.pk).subject == "Променен предмет"


def test_only_the_advisors_read_of_a_case_carries_its_list_flags(register, advisor, other_advisor, supervisor):
    """The advisor's case page learns from the case's own read which lists it has; the citizen's
    page and the follow link read the case without those EXISTS probes."""
    bare = register(advisor)
    full = register(advisor)
    full.shared_with.add(other_advisor)
    make_article(advisor, slug="flags", title="Статия", reviewer=supervisor).cases.add(full)
    make_article(advisor, slug="flags-draft", title="Чернова").cases.add(bare)  # a draft is not linked on the page
    flags = list(selectors.CASE_READ_FLAGS.values())
    read = access._case_by_reference(full.reference, list_flags=True)
    assert [getattr(read, flag) for flag in flags] == [False, True, True]
    read = access._case_by_reference(bare.reference, list_flags=True)
    assert [getattr(read, flag) for flag in flags] == [False, False, False]
    plain = access._case_by_reference(full.reference)
    assert not any(hasattr(plain, flag) for flag in flags)
    assert access.get_case_for_advisor(advisor, full.reference).has_shares is True
