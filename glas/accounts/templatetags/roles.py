from django import template

from glas.accounts.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The translated name of a role code ("advisor" → "bureau advisor")."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code
