"""Month names as Bulgarian writes them: in lower case ("1 декември 2026"). Django's Bulgarian
catalogue capitalises them ("1 Декември 2026"), which reads as a mistake to a Bulgarian reader.
The project's catalogue is read before Django's (``LOCALE_PATHS``), so these msgids, the same as
in ``django.utils.dates``, carry the project's translations instead. Nothing imports this module
at run time: it is here for ``makemessages`` to find the strings (and for the test that checks
them, ``core/tests/test_month_names.py``)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONTHS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)

# The genitive form used by the "E" date format and by "j F" in locales that need it.
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)

# Abbreviations of the "N" date format.
MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
