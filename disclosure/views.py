"""The public portal (no login)."""

from django.shortcuts import render


def home(request):
    """Public home: disclosed directories arrive with the disclosure issue."""
    return render(request, "disclosure/home.html", {})
