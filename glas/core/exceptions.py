"""The one exception type for broken domain rules.

Services raise ``DomainError`` with a translated message (and optionally the form field it is
about); views turn it into a form error and a 4xx response. It is never a 500.
"""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code
