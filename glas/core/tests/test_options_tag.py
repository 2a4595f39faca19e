"""``{% options %}`` writes what the template loop it replaced wrote."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy

LOOP = Template(
    '{% for value, label in choices %}<option value="{{ value }}"{% if selected == value %} selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)
TAG = Template("{% load options %}{% options choices selected %}")


def test_the_tag_writes_what_the_loop_wrote_escaped_and_translated():
    choices = [("a", gettext_lazy("Type")), ("b&c", '<b>"x"</b>'), (7, "Крупник")]
    with translation.override("bg"):
        for selected in ("a", "b&c", "", None, "zz"):
            context = {"choices": choices, "selected": selected}
            assert TAG.render(Context(context)) == LOOP.render(Context(context))
        written = TAG.render(Context({"choices": choices, "selected": "a"}))
    assert "Тип" in written and "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in written and 'value="b&amp;c"' in written


def test_an_integer_selects_the_option_of_its_number():
    written = TAG.render(Context({"choices": [(7, "Крупник"), (17, "Ощава")], "selected": 7}))
    assert written == '<option value="7" selected>Крупник</option><option value="17">Ощава</option>'
