"""Helpers every page view uses (powerlist's and the apps' above it)."""


def querystring_without_page(request):
    """The request's query string without `page`, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def apply_errors(form, exc):
    """Show a service's ValidationError on the form: per field where the field exists,
    else as a form-wide error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
