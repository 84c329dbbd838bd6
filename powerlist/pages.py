"""Helpers every page view uses (powerlist's and the apps' above it)."""

from django.http import Http404


def querystring_without_page(request):
    """The request's query string without `page`, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def require_readable(decision):
    """404 unless the read decision allows: an item the user may not read answers
    exactly like one that does not exist (no existence oracle). Refusals of what the
    user may read but not do stay 403 with their reason."""
    if not decision:
        raise Http404
    return decision


def apply_errors(form, exc):
    """Show a service's ValidationError on the form: per field where the field exists,
    else as a form-wide error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
