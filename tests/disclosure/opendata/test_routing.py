"""Scaling out (issue 11 item 7): public reads on the read replica when one is configured,
and files on an S3-compatible store when configured, local disk otherwise.

The replica alias of the test settings mirrors the test database (TEST MIRROR), so the
routing test must commit its data (transaction=True) for the replica connection to see it."""

import json

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from config.db_router import ReplicaRouter, replica_reads
from disclosure.models import PublishedPower
from tests.test_settings import _run


def test_router_sends_reads_under_replica_reads_to_the_replica_and_writes_to_default(settings):
    settings.DATABASE_REPLICA_ALIAS = "replica"
    router = ReplicaRouter()
    assert router.db_for_read(PublishedPower) is None  # staff work: the primary
    with replica_reads():
        assert router.db_for_read(PublishedPower) == "replica"
        assert router.db_for_write(PublishedPower) == "default"
        with replica_reads():
            pass
        assert router.db_for_read(PublishedPower) == "replica"  # nesting restores, not resets
    assert router.db_for_read(PublishedPower) is None
    assert router.allow_migrate("default", "disclosure") and not router.allow_migrate("replica", "disclosure")
    settings.DATABASE_REPLICA_ALIAS = None  # no replica configured: routing is off
    with replica_reads():
        assert router.db_for_read(PublishedPower) is None


def _tables(queries):
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_pages_and_the_open_api_read_the_replica_staff_pages_the_primary(settings, client, org, published):
    settings.DATABASE_REPLICA_ALIAS = "replica"
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get("/api/open/v1/powers/").json()["count"] == 4
        assert client.get("/p/210000/210000-XK-001/").status_code == 200
        assert client.get("/opendata/").status_code == 200
        assert client.get("/opendata/catalog.jsonld").status_code == 200
    assert "disclosure_publishedpower" in _tables(replica)
    assert "opendata_dataset" in _tables(replica)
    assert "disclosure_publishedpower" not in _tables(primary) and "opendata_" not in _tables(primary)

    client.force_login(org.clerk)
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get("/api/v1/powers/").status_code == 200
    assert "powerlist_power" in _tables(primary)
    assert not replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_a_replica_public_reads_use_the_primary(settings, client, published):
    settings.DATABASE_REPLICA_ALIAS = None
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        assert client.get("/api/open/v1/powers/").json()["count"] == 4
    assert "disclosure_publishedpower" in _tables(primary)
    assert not replica.captured_queries


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; d = storages['default']; "
    "r = s.DATABASES.get('replica'); "
    "print(json.dumps({'storage': type(d).__name__, "
    "'backend': s.STORAGES['default']['BACKEND'], "
    "'url': d.url('opendata/210000-all.csv'), "
    "'bucket': getattr(d, 'bucket_name', None), 'endpoint': getattr(d, 'endpoint_url', None), "
    "'alias': s.DATABASE_REPLICA_ALIAS, "
    "'replica': r and {'host': r['HOST'], 'name': r['NAME'], 'mirror': r['TEST']['MIRROR']}, "
    "'routers': s.DATABASE_ROUTERS}))"
)


def _settings(tmp_path, **env):
    result = _run(["-c", SHOW], DEBUG="1", VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_files_are_on_local_disk_and_there_is_no_replica(tmp_path):
    shown = _settings(tmp_path)
    assert shown["storage"] == "FileSystemStorage"
    assert shown["url"] == "/media/opendata/210000-all.csv"
    assert shown["alias"] is None and shown["replica"] is None
    assert shown["routers"] == ["config.db_router.ReplicaRouter"]


def test_the_environment_switches_on_s3_storage_and_the_replica(tmp_path):
    """No network: S3Storage connects on first use only, and signing a URL is local."""
    shown = _settings(
        tmp_path,
        AWS_STORAGE_BUCKET_NAME="portal-files", AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
        AWS_S3_REGION_NAME="cn-north-1", AWS_S3_ACCESS_KEY_ID="portal", AWS_S3_SECRET_ACCESS_KEY="not-a-secret",
        AWS_S3_ADDRESSING_STYLE="path",
        DATABASE_URL="postgres://portal@db-primary:5432/portal",
        DATABASE_REPLICA_URL="postgres://portal_ro@db-replica:5432/portal",
    )
    assert shown["backend"] == "storages.backends.s3.S3Storage" and shown["storage"] == "S3Storage"
    assert shown["bucket"] == "portal-files" and shown["endpoint"] == "http://minio.internal:9000"
    assert shown["url"].startswith("http://minio.internal:9000/portal-files/opendata/210000-all.csv?")
    assert "Signature" in shown["url"] or "X-Amz-Signature" in shown["url"]  # private files: signed links
    assert shown["alias"] == "replica"
    assert shown["replica"] == {"host": "db-replica", "name": "portal", "mirror": "default"}
