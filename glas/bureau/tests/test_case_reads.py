"""The case page's reads go through compiled statements (``selectors.case_read`` and
``access._case_by_reference``); each must give what the ORM's own query gives."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from glas.bureau import access, selectors
from glas.bureau.models import Article, Case, CaseMessage, Referral, Service


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
    now = timezone.now()
    for number, (title, status) in enumerate([("Б статия", "published"), ("А статия", "published"), ("В", "draft")]):
        reviewed = {"reviewer": supervisor, "published_at": now} if status == "published" else {}
        article = Article.objects.create(
            slug=f"article-{number}",
            title=title,
            summary="",
            body="",
            category="taxes",
            status=status,
            author=advisor,
            **reviewed,
        )
        article.cases.add(case)

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
