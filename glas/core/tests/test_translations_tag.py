"""``{% load i18n %}`` in Glas's templates is ``glas.core.templatetags.translations``: Django's
library with a faster ``{% translate "literal" %}``. Whatever the tag holds, it must draw exactly
what Django's own tag draws."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, engines
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from glas.core.templatetags.translations import LiteralTranslateNode

DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})
GLAS = Engine(libraries={"i18n": "glas.core.templatetags.translations"})

SNIPPETS = [
    '{% translate "Case queue" %}',
    '{% trans "Case queue" %}',
    '{% translate "95 % confidence interval" %}',  # in the catalogue with its percent sign doubled
    '{% translate "95 %% confidence interval" %}',
    "{% translate \"50% <b>&amp;</b> 'quoted'\" %}",  # not in the catalogue: the literal, unescaped
    '{% translate "Case queue" as heading %}[{{ heading }}]{{ heading|upper }}',
    '{% translate "a <b> & c" as markup %}{{ markup }}',  # safe, as Django's: not escaped again
    '{% translate "" %}',
    '{% translate "Case queue" context "bureau" %}',
    '{% translate "Case queue" noop %}',
    '{% translate "Case queue"|upper %}',
    "{% translate message %}",
    "{% translate 5 %}",  # Django fails on a number: so must this tag
    '{% autoescape off %}{% translate "a < b" %}{% translate message %}{% endautoescape %}',
    '{% blocktranslate with reference="БЮ-1" %}Case {{ reference }}{% endblocktranslate %}',
    '{% get_current_language as code %}{{ code }}{% language "en" %}{% translate "Case queue" %}{% endlanguage %}',
]


def render(engine: Engine, source: str) -> str:
    return engine.from_string("{% load i18n %}" + source).render(Context({"message": "Case queue <i>"}))


def outcome(engine: Engine, source: str) -> tuple[str, object]:
    """What drawing ``source`` gives: its text, or the type of the error it raises."""
    try:
        return "drawn", render(engine, source)
    except Exception as error:  # an error is an outcome to compare too
        return "failed", type(error)


@pytest.mark.parametrize("language", ["bg", "en"])
@pytest.mark.parametrize("source", SNIPPETS)
def test_every_form_of_the_tag_draws_what_djangos_draws(source, language):
    with translation.override(language):
        assert outcome(GLAS, source) == outcome(DJANGO, source)


def test_a_literal_is_translated_when_drawn_in_the_active_language():
    template = GLAS.from_string('{% load i18n %}{% translate "Case queue" %}')
    with translation.override("bg"):
        assert template.render(Context()) == "Опашка от случаи"
    with translation.override("en"):
        assert template.render(Context()) == "Case queue"
    with translation.override("bg"):
        assert render(GLAS, '{% translate "95 % confidence interval" %}') == "95 % доверителен интервал"


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters='"\\\r\n', exclude_categories=("Cs",)), max_size=40))
def test_any_literal_draws_what_djangos_draws(literal):
    source = '{% translate "' + literal + '" %}'
    assert outcome(GLAS, source) == outcome(DJANGO, source)
    with translation.override("bg"):
        assert outcome(GLAS, source) == outcome(DJANGO, source)


def test_the_project_templates_load_it_and_use_it_only_for_plain_literals():
    engine = engines["django"].engine
    assert engine.template_libraries["i18n"].tags["translate"].__module__ == "glas.core.templatetags.translations"
    nodes = engine.from_string(
        '{% load i18n %}{% translate "a" %}{% translate "a" as b %}{% translate "a" context "c" %}{% translate x %}'
    ).nodelist.get_nodes_by_type(LiteralTranslateNode)
    assert len(nodes) == 2


def test_the_check_accepts_the_i18n_mapping_and_still_reports_any_other_clash(settings):
    from django.template import engines as all_engines

    from glas.core.template_engine import I18N_LABEL, I18N_MODULE, Templates

    assert settings.TEMPLATES[0]["OPTIONS"]["libraries"] == {I18N_LABEL: I18N_MODULE}
    assert not [issue for issue in all_engines["django"].check() if issue.id == "templates.W003"]
    clashing = Templates(
        {
            "NAME": "clash",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {"libraries": {I18N_LABEL: I18N_MODULE, "links": "glas.core.templatetags.options"}},
        }
    )
    assert [issue.msg.split(" is used")[0] for issue in clashing.check() if issue.id == "templates.W003"] == ["'links'"]
