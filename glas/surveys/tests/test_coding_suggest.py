"""Suggested groups of open answers (TF-IDF + k-means): deterministic, by topic, bounded."""

from __future__ import annotations

from glas.surveys import coding_suggest
from glas.surveys.coding_suggest import group_count, stop_words, suggest_groups

CORPUS = [
    (1, "Водата в селото спира всяка седмица."),
    (2, "Спиране на водата без предупреждение."),
    (3, "Водата е мътна и спира често."),
    (4, "Пътят е пълен с дупки, трябва ремонт на пътя."),
    (5, "Дупки по пътя, ремонт на пътя."),
    (6, "Ремонт на пътя до Кресна."),
    (7, "Сесиите на съвета да се излъчват онлайн."),
    (8, "Излъчване на сесиите онлайн в интернет."),
    (9, "Онлайн излъчване на сесиите на съвета."),
]


def test_the_same_answers_always_give_the_same_groups():
    first = suggest_groups(CORPUS)
    second = suggest_groups(list(CORPUS))
    assert first == second
    assert len(first.groups) == group_count(9) == 3


def test_answers_on_one_topic_end_up_in_one_group():
    # 9 answers on three topics: k = 3, one group per topic.
    groups = suggest_groups(CORPUS).groups

    assert len(groups) == 3
    assert sorted(sorted(group.answer_ids) for group in groups) == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    water = next(group for group in groups if 1 in group.answer_ids)
    assert "водата" in water.terms


def test_bulgarian_stop_words_are_left_out_of_the_terms():
    assert {"на", "да", "се", "и", "в", "за", "че"} <= stop_words()
    terms = {term for group in suggest_groups(CORPUS).groups for term in group.terms}
    assert not any(word in stop_words() for term in terms for word in term.split())


def test_answers_with_only_common_words_or_numbers_are_left_ungrouped():
    result = suggest_groups([*CORPUS, (50, "Да, да и не."), (51, "123 456")])
    assert result.unmatched == [50, 51]
    assert 50 not in {pk for group in result.groups for pk in group.answer_ids}


def test_too_few_answers_give_no_groups():
    assert suggest_groups(CORPUS[:3]).groups == []
    assert suggest_groups([(1, "и"), (2, "на"), (3, "се"), (4, "да")]).unmatched == [1, 2, 3, 4]


def test_the_number_of_groups_grows_with_the_answers_within_bounds():
    assert [group_count(n) for n in (3, 4, 9, 50, 200, 100000)] == [2, 2, 3, 7, 12, coding_suggest.MAX_GROUPS]


def test_at_most_max_answers_are_grouped(monkeypatch):
    monkeypatch.setattr(coding_suggest, "MAX_ANSWERS", 6)
    result = suggest_groups(CORPUS)
    assert (result.considered, result.left_out) == (6, 3)
    assert max(pk for group in result.groups for pk in group.answer_ids) <= 6
