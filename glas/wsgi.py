"""The WSGI application (``gunicorn glas.wsgi``).

After Django has loaded, the URL configuration (which imports every view and, through them,
numpy, scipy and scikit-learn for the survey statistics) and the translation catalogues are
loaded once, and everything alive at that point is frozen out of the garbage collector
(``gc.freeze``). Those ~300,000 long-lived objects would otherwise be walked by every full
collection — about 180 ms each, a pause that landed on whichever request was running.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glas.settings")
application = get_wsgi_application()


def _load_and_freeze() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Glas")
    gc.collect()
    gc.freeze()


_load_and_freeze()
