"""Links between the pages of a list that keep its search, filters and sort (no query)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """``?`` and the current query with ``param`` set to ``number`` (escaped by the tag)."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
