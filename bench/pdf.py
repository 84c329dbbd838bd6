"""PDF bench (issue 11, part 4): the directory of a 500-power department — cover,
contents, every power with its own flowchart — rendered by the real task body
(disclosure.pdf.services.publication_file_render: claim, HTML, WeasyPrint, storage),
timed, with the peak memory (max RSS) of the process that renders, and one one-power file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_pdf .venv/bin/python bench/pdf.py --record

The database is migrated; the bench department (region 970000) is rebuilt on each run:
500 powers with realistic texts (legal bases quoted, six responsibility stages, five
accountability circumstances, conditions, fees) and a Graphviz flowchart of 4–7 steps
each, published as one publication. The render runs in a fresh process (so max RSS is
the render's, not the data generation's). `--record` writes the result into
bench/results.md between its pdf-bench markers.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "dev-and-test-only-secret-key-not-for-production-use")
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "out" / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from disclosure.models import Publication, PublicationFile, PublishedPower  # noqa: E402
from disclosure.pdf.services import publication_file_render  # noqa: E402
from powerlist.catalogue.models import Power  # noqa: E402
from powerlist.catalogue.reference import ensure_categories  # noqa: E402
from powerlist.flowcharts.render import flowchart_svg  # noqa: E402
from powerlist.models import Category, Department, Division, Region  # noqa: E402

REGION_CODE = "970000"
BASIS = ("除可以当场作出行政许可决定的外,行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。二十日内不能作出决定的,"
         "经本行政机关负责人批准,可以延长十日,并应当将延长期限的理由告知申请人。")
STAGES = [("accept", "受理阶段", "公示依法应当提交的材料,一次性告知补正材料,依法受理或不予受理并说明理由。"),
          ("review", "审查阶段", "对申请材料进行审查,提出审查意见;需要现场核查的,组织现场核查。"),
          ("decide", "决定阶段", "在法定期限内作出决定,制作决定文书;不予批准的说明理由并告知救济途径。"),
          ("deliver", "送达阶段", "按照规定期限和方式送达决定文书,依法公开结果。"),
          ("supervise", "事后监管阶段", "对决定的实施情况进行监督检查,依法处理违法行为。"),
          ("other", "其他", "法律法规规章规定应履行的其他责任。")]
CASES = ["对符合法定条件的申请不予受理的", "不在法定期限内作出决定的", "滥用职权、玩忽职守的",
         "索取或者收受他人财物或者谋取其他利益的", "其他违反法律法规规章规定的行为"]
STEP_NAMES = ["受理", "初审", "现场核查", "复审", "集体研究", "决定", "送达"]


def snapshot(n, category, region, department):
    steps = [SimpleNamespace(key=i, name=f"{STEP_NAMES[i]}", post=f"{STEP_NAMES[i]}岗", time_limit_days=i + 1,
                             is_checkpoint=i == 2, is_final=i == k - 1)
             for k in [4 + n % 4] for i in range(k)]
    edges = [SimpleNamespace(source=a.key, target=b.key, label="") for a, b in zip(steps, steps[1:])]
    title = f"基准事项{n:03d}流程图"
    return {
        "region_code": region.code, "region": region.name, "level": region.level, "department": department.name,
        "division": "基准处", "code": f"{REGION_CODE}-{category.code}-{n:03d}", "name": f"基准{category.name}事项{n:03d}号",
        "parent_code": "", "category": category.name, "category_code": category.code, "disposition": "keep",
        "disposition_label": "保留", "exercise_level": "省级", "revision": 1, "confirmed_at": timezone.now().isoformat(),
        "disposition_reason": "", "responsible_leader": "分管副厅长", "staff_duties": "负责受理、审查和决定。",
        "conditions": "申请人应当具备下列条件:\n1.依法设立的法人或者其他组织;\n2.有与申请事项相适应的专业技术人员和设备;\n"
                      "3.法律、法规规定的其他条件。",
        "statutory_limit_days": 20, "promised_limit_days": 10, "service_commitment": "一次性告知,限时办结。",
        "work_discipline": "严禁吃拿卡要。", "fee_basis": "", "remarks": "", "inherited": [],
        "legal_bases": [{"law_name": "《中华人民共和国行政许可法》", "article": f"第{40 + n % 10}条", "text": BASIS},
                        {"law_name": "《企业投资项目核准和备案管理条例》", "article": "第三条", "text": BASIS[:60]}],
        "responsibility_items": [{"stage": s, "stage_label": label, "text": text} for s, label, text in STAGES],
        "accountability_circumstances": [{"text": c, "ground": "《行政机关公务员处分条例》"} for c in CASES],
        "sub_items": [],
        "flowchart": {"title": title, "kind": "power", "revision": 1, "confirmed_at": timezone.now().isoformat(),
                      "svg": flowchart_svg(steps, edges, title=title),
                      "outline": [{"name": s.name, "post": s.post, "time_limit_days": s.time_limit_days,
                                   "is_checkpoint": s.is_checkpoint, "checkpoint_note": "", "handling_rules": "",
                                   "counterpart_rights": "", "is_final": s.is_final, "next": []} for s in steps]},
        "posts": [{"name": s.post, "duties": f"负责{s.name}。", "qualifications": ""} for s in steps],
        "measures": [{"stage": "审查", "kind": "制度措施", "text": "实行审查与决定分离,集体研究重大事项。",
                      "responsible_unit": "基准处", "state": "已实施", "in_force_since": ""}],
        "benchmarks": [], "complaint_channels": ["投诉电话:024-12345"],
    }


def build(powers):
    region, _ = Region.objects.get_or_create(code=REGION_CODE, defaults={"name": "基准公开省", "level": "province"})
    department, _ = Department.objects.get_or_create(region=region, name="基准公开厅")
    division, _ = Division.objects.get_or_create(department=department, name="基准处")
    ensure_categories(Category)
    PublicationFile.objects.filter(publication__department=department).delete()
    PublishedPower.objects.filter(department=department).delete()
    Publication.objects.filter(department=department).delete()
    Power.objects.filter(department=department).delete()
    categories = list(Category.objects.order_by("order")[:6])
    publication = Publication.objects.create(department=department, region=region, number=1,
                                             published_at=timezone.now(), note="基准测试公开。", power_count=powers)
    rows = []
    for n in range(1, powers + 1):
        category = categories[n % len(categories)]
        data = snapshot(n, category, region, department)
        power = Power(region=region, department=department, division=division, category=category,
                      code=data["code"], name=data["name"])
        rows.append((power, data, category))
    Power.objects.bulk_create([p for p, _d, _c in rows])
    PublishedPower.objects.bulk_create([
        PublishedPower(publication=publication, power=p, region=region, department=department, category=c,
                       level=region.level, code=d["code"], name=d["name"], version=1, data=d, digest="bench")
        for p, d, c in rows
    ], batch_size=100)
    directory = PublicationFile.objects.create(publication=publication, kind="directory", queued_at=timezone.now())
    first = PublishedPower.objects.filter(publication=publication).order_by("code").first()
    single = PublicationFile.objects.create(publication=publication, kind="power", published_power=first,
                                            queued_at=timezone.now())
    return directory, single


def render_only(file_id):
    started = time.perf_counter()
    outcome = publication_file_render(file_id=file_id)
    seconds = time.perf_counter() - started
    f = PublicationFile.objects.get(pk=file_id)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    print(json.dumps({"outcome": outcome, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                      "peak_mb": peak_mb, "pages": f.pages,
                      "size": f.size, "sha256": f.sha256}))


def render_in_child(file_id):
    out = subprocess.run([sys.executable, __file__, "--render-only", str(file_id)], check=True,
                         capture_output=True, text=True, env=os.environ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--powers", type=int, default=500)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--render-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_only:
        return render_only(args.render_only)
    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    started = time.perf_counter()
    directory, single = build(args.powers)
    built = time.perf_counter() - started
    result = render_in_child(directory.pk)
    one = render_in_child(single.pk)
    load_after = os.getloadavg()
    line = (f"{connection.vendor}: {args.powers} powers, each with its flowchart: directory {result['pages']} pages, "
            f"{result['size'] / 1e6:.1f} MB, rendered and stored in {result['seconds']:.1f} s ({result['cpu_seconds']:.0f} s "
            f"of CPU), peak memory (max RSS "
            f"of the rendering process) {result['peak_mb']:.0f} MB; one-power file {one['pages']} pages in "
            f"{one['seconds']:.2f} s, {one['peak_mb']:.0f} MB. Data built in {built:.0f} s. Load average "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (2 CPUs shared).")
    print(line)
    if args.record:
        record(line)


def record(line):
    path = ROOT / "bench" / "results.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- pdf bench: start -->", "<!-- pdf bench: end -->"
    stamp = f"- {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}: {line}"
    if start not in text:
        text += (f"\n## Publication PDFs (bench/pdf.py)\n\nTarget: a 500-power department's directory renders "
                 f"(time and peak memory recorded).\n\n{start}\n{end}\n")
    text = text.replace(end, f"{stamp}\n{end}")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
