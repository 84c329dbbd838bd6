"""Reads about the PDFs: the ready file the portal links, and the workspace panel's
state of a department's latest publications."""

from django.db.models import Count, Q

from disclosure.models import Publication
from disclosure.pdf.models import PublicationFile
from disclosure.register_selectors import public_hidden_q

_FILE_FIELDS = ("id", "kind", "state", "size", "sha256", "pages", "file", "publication_id", "published_power_id")


def directory_file(department):
    """The ready directory PDF of the department's current publication, or None (absent
    while rendering)."""
    return (PublicationFile.objects.filter(publication__department=department,
                                           publication__state=Publication.State.CURRENT,
                                           kind=PublicationFile.Kind.DIRECTORY, state=PublicationFile.State.READY)
            .only(*_FILE_FIELDS).first())


def power_file(row):
    """The ready one-power PDF of the power version `row` shows (whichever publication
    first rendered that version), or None."""
    return (
        PublicationFile.objects.filter(kind=PublicationFile.Kind.POWER, state=PublicationFile.State.READY,
                                       published_power__power_id=row.power_id,
                                       published_power__version=row.version)
        .only(*_FILE_FIELDS).order_by("id").first()
    )


def ready_file(file_id):
    """A ready file by id (the download view), or None. The one-power file of a power
    the register now withholds, or that was retracted, is None too: its pages are gone,
    and so is its file (docs/non-disclosure.md)."""
    return (PublicationFile.objects.filter(pk=file_id, state=PublicationFile.State.READY)
            .exclude(public_hidden_q("published_power__"))
            .select_related("publication__department", "published_power").first())


def department_file_states(department, limit=3):
    """[{publication, directory (file or None), powers: {total, ready, rendering, retrying,
    failed}}] of the department's latest `limit` publications, newest first. Three queries."""
    publications = list(Publication.objects.filter(department=department).order_by("-number")[:limit])
    ids = [p.pk for p in publications]
    directories = {f.publication_id: f for f in PublicationFile.objects.filter(
        publication_id__in=ids, kind=PublicationFile.Kind.DIRECTORY)}
    S = PublicationFile.State
    counts = {
        r["publication_id"]: r for r in
        PublicationFile.objects.filter(publication_id__in=ids, kind=PublicationFile.Kind.POWER)
        .values("publication_id").annotate(
            total=Count("id"), ready=Count("id", filter=Q(state=S.READY)),
            rendering=Count("id", filter=Q(state__in=[S.PENDING, S.RENDERING])),
            retrying=Count("id", filter=Q(state=S.RETRYING)), failed=Count("id", filter=Q(state=S.FAILED)))
        .order_by()
    }
    empty = {"total": 0, "ready": 0, "rendering": 0, "retrying": 0, "failed": 0}
    return [{"publication": p, "directory": directories.get(p.pk), "powers": counts.get(p.pk, empty)}
            for p in publications]
