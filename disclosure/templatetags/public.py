from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def display_url(context, mode):
    """The current page's address with ?display=<mode> (the no-JavaScript toggle)."""
    request = context["request"]
    params = request.GET.copy()
    params["display"] = mode
    return f"{request.path}?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def facet_url(context, key, value):
    base = context.get("facet_base") or ""
    return f"?{base}&{key}={value}" if base else f"?{key}={value}"


@register.filter
def days(value):
    return "" if value in (None, "") else value
