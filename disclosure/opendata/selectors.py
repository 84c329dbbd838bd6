"""Every read of the open data. Only publications are read (PublishedPower rows and
their Publication), never a working copy; each list costs a fixed number of queries.
Public reads go to the read replica when one is configured (config/db_router.py:
the API views and portal pages run under replica_reads)."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from powerlist.models import Category, Department, Region

from disclosure.models import Publication, PublishedPower
from disclosure.opendata.bulk import CHUNK
from disclosure.opendata.models import Dataset, DatasetFile
from disclosure.register_selectors import public_hidden_q

LIST_FIELDS = (
    "id", "code", "name", "parent_code", "status", "version", "level", "is_current",
    "region__code", "region__name", "department__id", "department__name", "category__code", "category__name",
    "publication__number", "publication__published_at",
)


def _published_regions():
    return Publication.objects.filter(region=OuterRef("pk"))


def open_regions():
    """Regions with at least one publication, by code, with their parent's code."""
    return (
        Region.objects.filter(Exists(_published_regions())).select_related("parent")
        .only("id", "code", "name", "level", "parent__code").order_by("code")
    )


def open_region(code):
    region = open_regions().filter(code=code).first()
    if region is None:
        raise Http404(_("没有该行政区划的公开数据。"))
    return region


def open_departments(*, region_code=None):
    """Departments that published, with their current publication (number, time, count)."""
    current = Publication.objects.filter(state=Publication.State.CURRENT).only(
        "id", "department_id", "number", "published_at", "power_count")
    qs = (
        Department.objects.filter(Exists(Publication.objects.filter(department=OuterRef("pk"))))
        .select_related("region").only("id", "name", "short_name", "order", "region__code", "region__name")
        .prefetch_related(Prefetch("publications", queryset=current, to_attr="current_publications"))
        .order_by("region__code", "order", "id")
    )
    if region_code:
        qs = qs.filter(region__code=region_code)
    return qs


def open_department(pk):
    department = open_departments().filter(pk=pk).first()
    if department is None:
        raise Http404(_("该部门尚未公开目录。"))
    return department


def open_categories():
    """Categories of at least one current published power the public may see."""
    used = _public().filter(is_current=True, category=OuterRef("pk"))
    return (
        Category.objects.filter(Exists(used))
        .only("id", "code", "name", "short_name", "order").order_by("order", "code")
    )


POWER_FILTERS = {"region": "region__code", "department": "department_id", "category": "category__code",
                 "level": "level", "status": "status"}


def open_powers(*, filters=None):
    """Current published powers (each department's current publication), by region and code.
    filters: region (code), department (id), category (code), level, status."""
    given = {column: (filters or {}).get(key) for key, column in POWER_FILTERS.items()}
    qs = _public().filter(is_current=True, **{c: v for c, v in given.items() if v})
    return (
        qs.select_related("region", "department", "category", "publication").only(*LIST_FIELDS)
        .order_by("region__code", "code", "id")
    )


def _public():
    """Published rows less the powers the register withholds or the office retracted
    (docs/non-disclosure.md)."""
    return PublishedPower.objects.exclude(public_hidden_q())


def _power_rows():
    return _public().select_related("region", "department", "category", "publication").defer(
        "search_text")


def open_power(region_code, code, version=None):
    """The newest published row of the power, or the first publication of `version`."""
    qs = _power_rows().filter(region__code=region_code, code=code)
    if version is None:
        row = qs.order_by("-publication__published_at", "-id").first()
    else:
        row = qs.filter(version=version).order_by("publication_id").first()
    if row is None:
        raise Http404(_("没有该公开事项或版本。"))
    return row


def open_power_versions(region_code, code):
    """One row per published version of the power (its first publication), newest first."""
    rows = list(
        _public().filter(region__code=region_code, code=code)
        .select_related("region", "publication").only(
            "id", "code", "name", "version", "status", "is_current", "region__code",
            "publication__number", "publication__published_at")
        .order_by("-version", "publication_id")
    )
    seen, result = set(), []
    for row in rows:
        if row.version not in seen:
            seen.add(row.version)
            result.append(row)
    if not result:
        raise Http404(_("没有该公开事项。"))
    return result


def open_publications(*, region_code=None, department=None):
    qs = Publication.objects.select_related("region", "department").only(
        "id", "number", "published_at", "note", "state", "added_count", "changed_count", "cancelled_count",
        "power_count", "region__code", "region__name", "department__id", "department__name",
    ).order_by("-published_at", "-id")
    if region_code:
        qs = qs.filter(region__code=region_code)
    if department:
        qs = qs.filter(department_id=department)
    return qs


# ---------------------------------------------------------------- bulk files


def province_of(region):
    """The root of `region`'s tree (its province)."""
    root_code = region.path.strip("/").split("/")[0]
    return region if region.code == root_code else Region.objects.get(code=root_code)


def _bulk_rows(qs):
    return qs.select_related("publication", "region").defer("search_text").iterator(chunk_size=CHUNK)


def publication_rows(publication):
    return _bulk_rows(_public().filter(publication=publication).order_by("code", "id"))


def province_rows(province):
    return _bulk_rows(
        _public().filter(is_current=True, region__path__startswith=province.path)
        .order_by("region_id", "department_id", "code", "id")
    )


def ready_files():
    return DatasetFile.objects.only("id", "dataset_id", "format", "filename", "size", "sha256", "created_at", "file")


def open_datasets():
    """Every dataset with its files, provinces first, then publications newest first."""
    return (
        Dataset.objects.select_related("region", "publication__department")
        .prefetch_related(Prefetch("files", queryset=ready_files().order_by("format")))
        .order_by("-scope", "region__code", "-publication__published_at", "-id")
    )


def open_file(identifier, fmt):
    row = DatasetFile.objects.select_related("dataset").filter(
        dataset__identifier=identifier, format=fmt, dataset__state=Dataset.State.READY).first()
    if row is None:
        raise Http404(_("没有该数据文件。"))
    return row
