"""The API's JSON parser: a body nested deeper than API_JSON_MAX_DEPTH is a 400, not a 500.

DRF's JSONParser lets RecursionError (from json.loads on ~100,000 nested brackets) escape as
a server error; a document just under the interpreter's limit would parse and then recurse
in serializers and renderers. This parser refuses both with ParseError (400).
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def json_depth(data):
    """Nesting depth of parsed JSON (a scalar is 0, [] and {} are 1), without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_DEPTH
        too_deep = _("JSON 嵌套过深(最多 %(limit)s 层)。") % {"limit": limit}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        if json_depth(data) > limit:
            raise ParseError(too_deep)
        return data
