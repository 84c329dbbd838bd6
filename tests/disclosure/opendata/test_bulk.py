"""Bulk files: built by Celery after a publication commits, stored through Django's
storage, listed with size, date and SHA-256, described by the DCAT catalogue; only
published content, never a canary."""

import csv
import hashlib
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from disclosure.opendata import bulk
from disclosure.opendata.models import Dataset, DatasetFile
from disclosure.opendata.services import dataset_build_province
from disclosure.services import publication_create
from tests.disclosure.conftest import CANARY_NAMES
from tests.disclosure.factories import confirmed_power

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _download(client, identifier, fmt):
    response = client.get(f"/opendata/files/{identifier}.{fmt}")
    assert response.status_code == 200, (identifier, fmt)
    return response, _body(response)


def test_a_publication_gets_its_dataset_and_the_province_one_in_four_formats(client, org, published):
    datasets = {d.identifier: d for d in Dataset.objects.all()}
    publication_id = f"210000-d{org.dept.pk}-p1"
    assert set(datasets) == {publication_id, "210000-all"}
    for dataset in datasets.values():
        assert dataset.state == Dataset.State.READY and dataset.power_count == 4
        assert sorted(dataset.files.values_list("format", flat=True)) == ["csv", "json", "sha256", "xlsx"]
        for f in dataset.files.all():
            assert default_storage.exists(f.file.name)
            with default_storage.open(f.file.name, "rb") as stream:
                content = stream.read()
            assert len(content) == f.size
            assert hashlib.sha256(content).hexdigest() == f.sha256
    assert datasets[publication_id].title == "辽宁省发展改革委第1批公开"


def test_csv_xlsx_and_json_hold_the_published_rows(client, org, published):
    identifier = f"210000-d{org.dept.pk}-p1"
    response, raw = _download(client, identifier, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith("\ufeff".encode())  # spreadsheet programs read UTF-8 by its BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["事项编码"], r["事项名称"], r["职权类别"]) for r in rows] == [
        ("210000-CF-001", "对不执行政府定价行为的行政处罚", "行政处罚"),
        ("210000-JF-001", "最低生活保障金给付", "行政给付"),
        ("210000-XK-001", "企业投资项目核准", "行政许可"),
        ("210000-XK-CANARY2", "建设工程消防设计审查", "行政许可"),
    ]
    licence = rows[2]
    assert licence["运行流程"] == "受理(受理岗、1个工作日) → 审查(审查岗、10个工作日) → 决定(决定岗、3个工作日)"
    assert licence["流程图(SVG)"] == "/api/open/v1/powers/210000/210000-XK-001/versions/1/flowchart.svg"
    assert licence["公开页面"] == "/p/210000/210000-XK-001/v1/"
    assert licence["公开批次号"] == "1" and licence["公开版本号"] == "1"

    _response, raw = _download(client, identifier, "xlsx")
    sheet = load_workbook(io.BytesIO(raw), read_only=True).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:2] == ["行政区划代码", "行政区划"]
    assert [r[7] for r in table[1:]] == ["210000-CF-001", "210000-JF-001", "210000-XK-001", "210000-XK-CANARY2"]

    _response, raw = _download(client, identifier, "json")
    document = json.loads(raw)
    assert document["dataset"]["publication_number"] == 1
    assert document["dataset"]["note"] == "首次公开本部门行政职权目录。"
    licence = document["powers"][2]
    assert licence["code"] == "210000-XK-001" and licence["data"]["name"] == "企业投资项目核准"
    assert [s["name"] for s in licence["data"]["flowchart"]["outline"]] == ["受理", "审查", "决定"]
    assert "svg" not in licence["data"]["flowchart"]  # the drawing is linked, not inlined


def test_the_checksums_file_verifies_every_file(client, org, published):
    identifier = "210000-all"
    response, raw = _download(client, identifier, "sha256")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = raw.decode().splitlines()
    assert [line.split("  ")[1] for line in lines] == ["210000-all.csv", "210000-all.xlsx", "210000-all.json"]
    for line in lines:
        digest, name = line.split("  ")
        _response, content = _download(client, identifier, name.rsplit(".", 1)[1])
        assert hashlib.sha256(content).hexdigest() == digest
        assert _response["ETag"] == f'"{digest}"'


def test_the_open_data_page_lists_files_with_size_date_and_checksum(client, org, published):
    response = client.get("/opendata/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>开放数据</h1>" in page
    for f in DatasetFile.objects.all():
        assert f.sha256 in page
        assert f"/opendata/files/{f.dataset.identifier}.{f.format}" in page
    assert "辽宁省全部公开事项" in page and "辽宁省发展改革委第1批公开" in page
    assert 'href="/opendata/catalog.jsonld"' in page and 'href="/api/open/docs/"' in page
    # The portal links it.
    assert 'href="/opendata/"' in client.get("/").content.decode()


def test_the_page_and_the_catalogue_cost_a_fixed_number_of_queries(org, client, published, django_assert_max_num_queries,
                                                                 django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_assert_max_num_queries(2):
            client.get("/opendata/")
        with django_assert_max_num_queries(2):
            client.get("/opendata/catalog.jsonld")
        confirmed_power(org, name="新增的许可事项", code=f"210000-XK-9{Dataset.objects.count():02d}")
        with django_capture_on_commit_callbacks(execute=True):
            publication_create(user=org.dept_reviewer, department=org.dept, note="新增。")
    assert Dataset.objects.count() == 4


def test_a_new_publication_rebuilds_the_province_and_keeps_the_old_publication(
        org, client, published, django_capture_on_commit_callbacks):
    province = Dataset.objects.get(identifier="210000-all")
    old_files = list(province.files.values_list("file", flat=True))
    confirmed_power(org, name="新增的确认事项", code="210000-QR-001", category_code="QR")
    with django_capture_on_commit_callbacks(execute=True):
        second = publication_create(user=org.dept_reviewer, department=org.dept, note="新增一项。")
    province.refresh_from_db()
    assert province.power_count == 5 and province.as_of_publication_id == second.pk
    assert not any(default_storage.exists(name) for name in old_files)  # replaced, not piled up
    assert Dataset.objects.get(identifier=f"210000-d{org.dept.pk}-p1").power_count == 4
    assert Dataset.objects.get(identifier=f"210000-d{org.dept.pk}-p2").power_count == 5
    # Nothing newer since: a second build of the province is skipped.
    assert dataset_build_province(province=org.province) is None


def test_a_failed_build_is_marked_failed_and_the_retry_rebuilds_it(
        org, client, published, monkeypatch, django_capture_on_commit_callbacks):
    from disclosure.opendata.tasks import build_datasets

    real = bulk.write_csv

    def broken(rows, stream):
        raise OSError("disk full")

    monkeypatch.setattr(bulk, "write_csv", broken)
    confirmed_power(org, name="重试的许可事项", code="210000-XK-777")
    with django_capture_on_commit_callbacks(execute=True):
        second = publication_create(user=org.dept_reviewer, department=org.dept, note="再次公开。")
    # The publication stands; its dataset says it failed, and the page says so.
    assert second.pk
    dataset = Dataset.objects.get(publication=second)
    assert dataset.state == Dataset.State.FAILED and not dataset.files.exists()
    assert "生成失败,系统将自动重试。" in client.get("/opendata/").content.decode()
    # The task retries on any failure, with back-off, acked late (a dead worker's task is redelivered).
    assert build_datasets.autoretry_for == (Exception,) and build_datasets.max_retries == 5
    assert build_datasets.acks_late and build_datasets.reject_on_worker_lost
    monkeypatch.setattr(bulk, "write_csv", real)
    build_datasets.delay(second.pk)
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.READY and dataset.power_count == 5 and dataset.files.count() == 4


def test_dcat_catalogue_lists_each_dataset_and_distribution(client, org, published):
    response = client.get("/opendata/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(datasets) == {"210000-all", f"210000-d{org.dept.pk}-p1"}
    publication = datasets[f"210000-d{org.dept.pk}-p1"]
    assert publication["dct:publisher"]["foaf:name"] == "辽宁省发展改革委"
    assert publication["dct:issued"]["@type"] == "xsd:dateTime"
    by_type = {d["dcat:mediaType"]["@id"].rsplit("/", 2)[-2] + "/" + d["dcat:mediaType"]["@id"].rsplit("/", 1)[-1]: d
               for d in publication["dcat:distribution"]}
    assert set(by_type) == {"text/csv", "application/json", "text/plain",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    csv_file = DatasetFile.objects.get(dataset__identifier=f"210000-d{org.dept.pk}-p1", format="csv")
    distribution = by_type["text/csv"]
    assert distribution["dcat:downloadURL"]["@id"] == f"http://testserver/opendata/files/210000-d{org.dept.pk}-p1.csv"
    assert distribution["spdx:checksum"]["spdx:checksumValue"]["@value"] == csv_file.sha256
    assert distribution["dcat:byteSize"]["@value"] == str(csv_file.size)
    assert catalogue["dcat:service"]["dcat:endpointURL"]["@id"] == "http://testserver/api/open/v1/"

    turtle = client.get("/opendata/catalog.ttl").content.decode()
    assert "@prefix dcat: <http://www.w3.org/ns/dcat#> ." in turtle
    assert "<http://testserver/opendata/catalog.jsonld>\n    a dcat:Catalog ;" in turtle
    assert f'spdx:checksumValue "{csv_file.sha256}"^^xsd:hexBinary' in turtle
    assert 'dct:title "辽宁省全部公开事项"@zh' in turtle


def test_canaries_are_in_no_bulk_file_and_no_catalogue(client, published):
    bodies = {"/opendata/": client.get("/opendata/").content, "catalogue": client.get("/opendata/catalog.jsonld").content}
    for f in DatasetFile.objects.select_related("dataset"):
        _response, raw = _download(client, f.dataset.identifier, f.format)
        if f.format == "xlsx":
            sheet = load_workbook(io.BytesIO(raw), read_only=True).active
            raw = "\n".join(str(c) for r in sheet.iter_rows(values_only=True) for c in r).encode()
        bodies[f.filename] = raw
    assert len(bodies) == 10
    for where, raw in bodies.items():
        text = raw.decode("utf-8-sig")
        for name in CANARY_NAMES:
            assert name not in text, (where, name)
        for code in ("210000-XK-CANARY1", "210000-XK-CANARY3", "210000-XK-CANARY4"):
            assert code not in text, (where, code)


@pytest.mark.parametrize("path", ["/opendata/files/210000-all.exe", "/opendata/files/nothing.csv",
                                  "/opendata/files/..%2F..%2Fsecret.csv"])
def test_unknown_files_are_404(client, published, path):
    assert client.get(path).status_code == 404
