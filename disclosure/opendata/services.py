"""Every write of the open data: building a publication's dataset and its province's,
after the publication commits (disclosure.services._publish queues datasets_schedule).

Files are written to a temporary file, hashed, then saved through Django's default
storage (local disk, or S3 when configured): web and worker nodes need share nothing
but the storage. A rebuild replaces a dataset's files; the old ones are deleted."""

import hashlib
import logging
import tempfile

from celery import current_app
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from powerlist.models import Region

from disclosure.models import Publication, PublishedPower
from disclosure.opendata import bulk
from disclosure.opendata.models import Dataset, DatasetFile
from disclosure.opendata.selectors import province_of, province_rows, publication_rows

logger = logging.getLogger(__name__)
TASK = "opendata.build_datasets"


def datasets_schedule(*, publication_id):
    """Queue the dataset build of a publication (and of its province) on Celery. Called
    from transaction.on_commit, so the task sees the committed publication.

    The publication has committed by then: a broker that cannot be reached (or, with
    tasks run in-process, a failed build) is logged and never turns the publication
    into an error page; the dataset shows its state, and `manage.py opendata_build`
    rebuilds whatever is missing. settings.OPENDATA_BUILD_ON_PUBLISH (default on) turns
    the automatic build off, e.g. for tests that publish but never read the files."""
    if not getattr(settings, "OPENDATA_BUILD_ON_PUBLISH", True):
        return
    try:
        current_app.tasks[TASK].delay(publication_id)
    except Exception:
        logger.exception("open data build of publication %s could not run", publication_id)


def datasets_redo(*, power_id):
    """Within the transaction that withholds, retracts or releases (lapse) a published
    power: every dataset whose files hold it, or should hold it again (the datasets of the
    publications that published it, and its province's), stops being served at once
    (pending: the download answers 404 until rebuilt) and is rebuilt after the commit from
    the rows the public may see (selectors._public). Returns the number of datasets."""
    publications = list(PublishedPower.objects.filter(power_id=power_id).values_list("publication_id", flat=True)
                        .distinct().order_by("publication_id"))
    if not publications:
        return 0
    province = province_of(Publication.objects.select_related("region").get(pk=publications[0]).region)
    count = Dataset.objects.filter(Q(publication_id__in=publications) | Q(scope=Dataset.Scope.PROVINCE,
                                                                          region=province)).update(
        state=Dataset.State.PENDING, message=_("正在重新生成。"))
    for publication_id in publications:
        # The first build rebuilds the province's dataset too; the others find it current.
        transaction.on_commit(lambda pk=publication_id: datasets_schedule(publication_id=pk))
    return count


def _sha256(stream):
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    size = stream.tell()
    stream.seek(0)
    return digest.hexdigest(), size


def _store(dataset, fmt, filename, stream, now):
    sha, size = _sha256(stream)
    name = default_storage.save(f"opendata/{dataset.identifier}/{now:%Y%m%d%H%M%S}/{filename}", File(stream, name=filename))
    return DatasetFile(dataset=dataset, format=fmt, file=name, filename=filename, size=size, sha256=sha,
                       created_at=now)


def _write_files(dataset, rows_factory, meta):
    """Write CSV, XLSX and JSON from fresh row iterators, then the checksums file.
    Returns (unsaved DatasetFile list, power count)."""
    now = timezone.now()
    stem = dataset.identifier
    files, count = [], 0
    writers = (
        ("csv", lambda s: bulk.write_csv(rows_factory(), s)),
        ("xlsx", lambda s: bulk.write_xlsx(rows_factory(), s, title=dataset.title)),
        ("json", lambda s: bulk.write_json(rows_factory(), s, meta=meta)),
    )
    for fmt, write in writers:
        with tempfile.TemporaryFile() as stream:
            count = write(stream)
            files.append(_store(dataset, fmt, f"{stem}.{fmt}", stream, now))
    text = bulk.checksums_text([(f.filename, f.sha256) for f in files]).encode()
    with tempfile.TemporaryFile() as stream:
        stream.write(text)
        files.append(_store(dataset, "sha256", f"{stem}.sha256", stream, now))
    return files, count


def _replace_files(dataset, files, *, count, as_of):
    now = files[0].created_at
    with transaction.atomic():
        # Two workers rebuilding one dataset (two publications in a province at once):
        # the second waits here, then replaces the first's files.
        Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
        old = list(DatasetFile.objects.filter(dataset=dataset).values_list("file", flat=True))
        DatasetFile.objects.filter(dataset=dataset).delete()
        DatasetFile.objects.bulk_create(files)
        Dataset.objects.filter(pk=dataset.pk).update(
            state=Dataset.State.READY, power_count=count, modified=now, issued=dataset.issued or now,
            as_of_publication_id=as_of, message="")
    for name in old:
        transaction.on_commit(lambda name=name: default_storage.delete(name))


def _meta(dataset, **extra):
    return {"identifier": dataset.identifier, "title": dataset.title, **extra}


def _build(dataset, rows_factory, meta, as_of):
    try:
        files, count = _write_files(dataset, rows_factory, meta)
    except Exception:
        logger.exception("open data build of %s failed", dataset.identifier)
        Dataset.objects.filter(pk=dataset.pk).update(
            state=Dataset.State.FAILED, message=_("生成失败,将自动重试。"))
        raise
    _replace_files(dataset, files, count=count, as_of=as_of)
    dataset.refresh_from_db()
    return dataset


def dataset_build_publication(*, publication):
    """Build (or rebuild) the dataset of one publication: every power it disclosed.
    Raises whatever writing or storage raised (the task retries), after marking the
    dataset failed."""
    region = publication.region
    dataset, _created = Dataset.objects.get_or_create(
        publication=publication,
        defaults={"scope": Dataset.Scope.PUBLICATION, "region": region,
                  "identifier": f"{region.code}-d{publication.department_id}-p{publication.number}",
                  "title": _("%(region)s%(department)s第%(n)s批公开") % {
                      "region": region.name, "department": publication.department.name, "n": publication.number}},
    )
    meta = _meta(dataset, region_code=region.code, department=publication.department.name,
                 publication_number=publication.number, published_at=publication.published_at.isoformat(),
                 note=publication.note)
    return _build(dataset, lambda: publication_rows(publication), meta, publication.pk)


def dataset_build_province(*, province, force=False):
    """Build the province's dataset: the current publication of every department in the
    province and all its cities and counties. Skipped (returns None) when it already
    reflects the newest publication in the province, so a burst of publications costs
    one rebuild per burst, not one per publication."""
    latest = Publication.objects.filter(region__path__startswith=province.path).order_by("-id").values_list(
        "id", flat=True).first()
    dataset, _created = Dataset.objects.get_or_create(
        scope=Dataset.Scope.PROVINCE, region=province,
        defaults={"identifier": f"{province.code}-all", "title": _("%(region)s全部公开事项") % {"region": province.name}},
    )
    if not force and dataset.state == Dataset.State.READY and dataset.as_of_publication_id == latest:
        return None
    meta = _meta(dataset, region_code=province.code, scope="province")
    return _build(dataset, lambda: province_rows(province), meta, latest)


def datasets_build(*, publication_id):
    """The task body: the publication's dataset, then its province's."""
    publication = Publication.objects.select_related("region", "department").filter(pk=publication_id).first()
    if publication is None:
        return {"ok": False}
    dataset_build_publication(publication=publication)
    province = province_of(publication.region)
    dataset_build_province(province=province)
    return {"ok": True}


def datasets_rebuild_all():
    """Every publication's and every province's dataset (manage.py opendata_build)."""
    for publication in Publication.objects.select_related("region", "department").order_by("id"):
        dataset_build_publication(publication=publication)
    for province in Region.objects.filter(parent__isnull=True).order_by("code"):
        dataset_build_province(province=province, force=True)
