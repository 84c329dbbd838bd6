"""Import bench (issue 10, part 4): a 5,000-row workbook in a real list's layout (main items
with merged cells over their sub-items, numbered responsibility cells, circumstances,
是/否) imported by power_import, against openpyxl's own read of the same workbook.
Target: the import costs at most 3× the read.

    DATABASE_URL=sqlite:////tmp/imports_bench.sqlite3 .venv/bin/python bench/imports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lists_db .venv/bin/python bench/imports.py

The database is migrated; the bench department (region 980000) is created when missing
and emptied before each run, so each run creates every item anew. `--repeat N` runs
the import N times and reports the median; `--paired` also reads the workbook right
before each import and reports the median of those pairs' ratios (the read's CPU swings
with the load of a shared machine); `--record` appends the result to bench/results.md
between its import-bench markers. Each read and each import starts from a collected heap
(gc.collect()), and the import's time includes the collection it deferred (it pauses the
cycle collector while it runs): before, the read paired after an import paid for it.
"""

import argparse
import datetime as dt
import gc
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "dev-and-test-only-secret-key-not-for-production-use")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from bench.cpu import backend_cpu  # noqa: E402
from powerlist.catalogue.models import AccountabilityCircumstance, LegalBasis, Power, ResponsibilityItem  # noqa: E402
from powerlist.catalogue.reference import ensure_categories  # noqa: E402
from powerlist.catalogue.spreadsheets import power_import  # noqa: E402
from powerlist.models import Category, Department, Division, Region, ReviewLogEntry, RoleAssignment, User  # noqa: E402
from powerlist.org.roles import Role  # noqa: E402

REGION_CODE = "980000"
HEADERS = ("序号", "职权编码", "职权名称", "子项名称", "职权类型", "实施依据", "实施主体", "责任事项", "追责情形",
           "审核转报(是/否)", "备注")
LICENCE = ("1.受理责任:公示依法应当提交的材料,一次性告知补正材料,依法受理或不予受理并说明理由。\n"
           "2.审查责任:对申请材料进行审查,提出审查意见;需要现场核查的,组织现场核查。\n"
           "3.决定责任:在法定期限内作出决定,制作决定文书;不予批准的说明理由并告知救济途径。\n"
           "4.送达责任:按照规定期限和方式送达决定文书,依法公开结果。\n"
           "5.事后监管责任:对决定的实施情况进行监督检查,依法处理违法行为。\n"
           "6.其他责任:法律法规规章规定应履行的其他责任。")
PENALTY = ("1.立案责任:对发现的涉嫌违法行为进行初步审查,决定是否立案。\n2.调查取证责任:两名以上执法人员出示证件,"
           "全面、客观、公正地调查收集证据。\n3.审理责任:对案件的事实、证据、适用依据和处罚幅度进行审理。\n"
           "4.告知责任:作出决定前告知当事人拟作出决定的事实、理由、依据及其依法享有的权利。\n"
           "5.决定责任:依法作出处罚决定,制作处罚决定书。\n6.送达责任:依法送达处罚决定书。\n"
           "7.执行责任:监督当事人履行处罚决定。\n8.其他责任:法律法规规章规定应履行的其他责任。")
CASES = ("因不履行或不正确履行行政职责,有下列情形的,行政机关及相关工作人员应承担相应责任:\n"
         "1.对符合法定条件的申请不予受理的;\n2.不在法定期限内作出决定的;\n3.滥用职权、玩忽职守的;\n"
         "4.索取或者收受他人财物或者谋取其他利益的;\n5.其他违反法律法规规章规定的行为。")
BASIS = "《中华人民共和国行政许可法》第四十二条 除可以当场作出行政许可决定的外,行政机关应当自受理之日起二十日内作出决定。"
# What published lists carry per cell: the articles quoted in full, each stage's duty with
# the article it rests on (about 1,900 characters a row against about 600 above).
BASIS_LONG = (
    "《中华人民共和国行政许可法》第四十二条 除可以当场作出行政许可决定的外,行政机关应当自受理行政许可申请之日起二十日内"
    "作出行政许可决定。二十日内不能作出决定的,经本行政机关负责人批准,可以延长十日,并应当将延长期限的理由告知申请人。"
    "但是,法律、法规另有规定的,依照其规定。\n"
    "《企业投资项目核准和备案管理条例》第三条 对关系国家安全、涉及全国重大生产力布局、战略性资源开发和重大公共利益等项目,"
    "实行核准管理。具体项目范围以及核准机关、核准权限依照政府核准的投资项目目录执行。政府核准的投资项目目录由国务院投资主管"
    "部门会同国务院有关部门提出,报国务院批准后实施,并适时调整。"
).replace("\\n", "\n")
CITATION = "(依据:《中华人民共和国行政许可法》第三十条、第三十二条、第三十四条、第三十八条及《行政机关公务员处分条例》有关规定)"


def workbook_bytes(rows_total, group_every=5, group_size=5, long_texts=True):
    """`rows_total` data rows: every `group_every`-th item a main item with `group_size`
    sub-item rows (main cells merged over them), the others one row each."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["基准测试厅权责清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(list(HEADERS))
    merges, rows, n = [], 0, 0
    while rows < rows_total:
        n += 1
        penalty = n % 3 == 0
        code = f"{REGION_CODE}-BM-{'CF' if penalty else 'XK'}-{n:05d}"
        # Every item's texts differ, as in a real list (openpyxl stores equal strings once).
        duties = (PENALTY if penalty else LICENCE).replace("责任:", f"责任:(事项{n})")
        if long_texts:
            duties = duties.replace("。\n", f"。{CITATION}\n")
        basis = BASIS_LONG if long_texts else BASIS
        main = [n, code, f"基准事项{n}", None, "行政处罚" if penalty else "行政许可", f"{basis}(第{n}项)", "基准测试厅",
                duties, CASES.replace("应承担", f"就事项{n}应承担"), "是" if n % 7 == 0 else "否", None]
        if n % group_every == 0 and rows + group_size <= rows_total:
            first = sheet.max_row + 1
            for k in range(group_size):
                cells = list(main) if k == 0 else [None] * len(HEADERS)
                cells[3] = f"基准事项{n}子项{k + 1}"
                if k % 2:
                    cells[5] = f"《基准条例》第{k + 1}条 子项依据。"
                sheet.append(cells)
            merges += [(first, first + group_size - 1, c) for c in (1, 2, 3, 5, 7, 8, 9, 10)]
            rows += group_size
        else:
            sheet.append(main)
            rows += 1
    for first, last, column in merges:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def openpyxl_read(content):
    """openpyxl's own read of the workbook, as the import opens it: read-only, every row's values."""
    started = time.perf_counter()
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    workbook.close()
    return time.perf_counter() - started


def bench_clerk():
    region, _ = Region.objects.get_or_create(code=REGION_CODE, defaults={"name": "基准测试省", "level": "province"})
    department, _ = Department.objects.get_or_create(region=region, name="基准测试厅")
    division, _ = Division.objects.get_or_create(department=department, name="基准处")
    clerk, created = User.objects.get_or_create(username="import-bench-clerk", defaults={
        "department": department, "division": division, "display_name": "基准经办人"})
    if created:
        RoleAssignment.objects.create(user=clerk, role=Role.CLERK)
    ensure_categories(Category)
    return clerk, department


def empty(department):
    """Delete the bench department's powers and their lists (raw SQL: nothing else points
    at them, and the ORM's cascade collection would visit every related table)."""
    power_table = Power._meta.db_table
    with connection.cursor() as cursor:
        for model in (ResponsibilityItem, AccountabilityCircumstance, LegalBasis):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE power_id IN "
                           f"(SELECT id FROM {power_table} WHERE department_id = %s)", [department.pk])
        cursor.execute(f"DELETE FROM {power_table} WHERE department_id = %s AND parent_id IS NOT NULL", [department.pk])
        cursor.execute(f"DELETE FROM {power_table} WHERE department_id = %s", [department.pk])
        if connection.vendor == "postgresql":
            # Each run deletes some 40,000 rows; without a vacuum the next run's look-ups
            # wade through the dead ones (22 runs left 400,000 dead rows and doubled the
            # import's existence checks), which no real department's import meets.
            for model in (Power, ResponsibilityItem, AccountabilityCircumstance, LegalBasis):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="Append the result to bench/results.md.")
    parser.add_argument("--short-texts", action="store_true",
                        help="Cells of about 600 characters a row instead of the published lists' 1,900.")
    parser.add_argument("--paired", action="store_true",
                        help="Also take the read right before each import and report the median of the "
                             "pairs' ratios: on a shared machine the CPU a read costs swings with the load "
                             "(0.35-0.63 s within minutes), and a pair sees the same load.")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    clerk, department = bench_clerk()
    content = workbook_bytes(args.rows, long_texts=not args.short_texts)
    reads, read_cpus = [], []
    for _ in range(args.repeat):
        gc.collect()
        cpu = time.process_time()
        reads.append(openpyxl_read(content))
        read_cpus.append(time.process_time() - cpu)
    imports, import_cpus, result = [], [], None
    paired_reads, paired_read_cpus = [], []
    for _ in range(args.repeat):
        empty(department)
        clerk = User.objects.select_related("department__region", "division").get(pk=clerk.pk)
        if args.paired:
            gc.collect()
            cpu = time.process_time()
            paired_reads.append(openpyxl_read(content))
            paired_read_cpus.append(time.process_time() - cpu)
        gc.collect()  # each import and each read starts from a collected heap
        backend = backend_cpu()
        cpu = time.process_time()
        started = time.perf_counter()
        result = power_import(user=clerk, department=department, rows_or_file=content)
        gc.collect()  # the collection the import deferred (its cycle collector paused) counts as its own
        imports.append(time.perf_counter() - started)
        import_cpus.append(time.process_time() - cpu + backend_cpu() - backend)
        assert result.ok, result.errors[:5]
    read, imported = statistics.median(reads), statistics.median(imports)
    ratio = imported / read
    cpu_ratio = statistics.median(import_cpus) / statistics.median(read_cpus)
    line = (f"{connection.vendor}: {args.rows} rows, {'short' if args.short_texts else 'published-length'} texts "
            f"({result.created} items, {result.sub_items_created} sub-items, "
            f"{result.responsibility_items} responsibility items, {result.circumstances} circumstances, "
            f"{len(content) / 1e6:.1f} MB): openpyxl read {read:.2f} s, import {imported:.2f} s, "
            f"ratio {ratio:.2f}× (target ≤ 3×) {'met' if ratio <= 3 else 'MISSED'}")
    # CPU seconds (this process, plus the PostgreSQL backend's when it runs on this host):
    # on a machine shared with other work the wall-clock ratio swings with the load,
    # the CPU ratio much less.
    line += (f"; CPU: read {statistics.median(read_cpus):.2f} s, import {statistics.median(import_cpus):.2f} s "
             f"(with the database backend's), ratio {cpu_ratio:.2f}×")
    if args.paired:
        wall_pairs = statistics.median(i / r for i, r in zip(imports, paired_reads))
        cpu_pairs = statistics.median(i / r for i, r in zip(import_cpus, paired_read_cpus))
        line += (f"; paired (a read right before each import): median ratio {wall_pairs:.2f}× wall, "
                 f"{cpu_pairs:.2f}× CPU (reads {statistics.median(paired_read_cpus):.2f} CPU s)")
    print(line)
    print(f"  review-log entries now {ReviewLogEntry.objects.count()}; runs: read {reads}, import {imports}")
    if args.record:
        record(line)


def record(line):
    path = ROOT / "bench" / "results.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- import bench: start -->", "<!-- import bench: end -->"
    stamp = (f"- {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
             f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}: {line}")
    if start not in text:
        text += f"\n## Import (bench/imports.py)\n\n{start}\n{end}\n"
    text = text.replace(end, f"{stamp}\n{end}")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
