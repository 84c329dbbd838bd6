"""A clerk builds a five-step flowchart with a branch in the editor and sees it drawn:
live (htmx preview) while typing, and on the saved flowchart's page."""

import pytest

from powerlist.models import Flowchart
from tests.e2e.conftest import assert_accessible, login
from tests.powerlist.factories import PowerFactory
from tests.powerlist.flowchart_helpers import PostFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = (
    ("申请", "受理岗"),
    ("受理", "受理岗"),
    ("审查", "审查岗"),
    ("作出决定", "审批岗"),
    ("送达", "受理岗"),
)
BRANCH_LABEL = "不符合条件"


def test_clerk_builds_five_step_flowchart_with_branch_and_sees_it_drawn(org, page, live_server):
    # Generous waits: the drawing is made on the server, and CI machines are shared.
    page.set_default_timeout(30_000)
    power = PowerFactory(department=org.dept, division=org.division, name="企业投资项目核准")
    for name in ("受理岗", "审查岗", "审批岗"):
        PostFactory(department=org.dept, name=name)
    login(page, live_server, "clerk")

    page.goto(f"{live_server.url}/powers/{power.pk}/")
    page.get_by_role("link", name="编制流程图").click()
    page.get_by_label("空白流程图").check()
    with page.expect_navigation():
        page.click("#start-flowchart")
    chart = Flowchart.objects.get(power=power)
    assert page.url.endswith(f"/flowcharts/{chart.pk}/edit/")

    for _i in STEPS:
        with page.expect_navigation():
            page.click("#add-step")
    for i, (name, post) in enumerate(STEPS):
        page.fill(f"#id_step-{i}-name", name)
        page.select_option(f"#id_step-{i}-post", label=post)
        page.fill(f"#id_step-{i}-time_limit_days", "2")
    page.check("#id_step-4-is_final")
    page.click("summary >> nth=0")
    page.fill("#id_step-0-complaint_channels", "投诉电话:024-12345678")

    # The live preview redraws as the clerk types (htmx posts the form on change).
    preview = page.locator("#preview svg")
    # Wait for the drawing of the last edit: previews of earlier keystrokes arrive first.
    names = [name for name, _post in STEPS]
    page.wait_for_function(
        "(names) => { const s = document.querySelector('#preview svg');"
        " return s && names.every(n => s.textContent.includes(n)); }",
        arg=names,
    )
    assert all(name in preview.text_content() for name in names)

    # A branch: 审查 → 送达 when the application does not qualify. The transition lists
    # already show the names just typed.
    assert "3. 审查" in page.locator("#id_tr-1-source").inner_text()
    with page.expect_navigation():
        page.click("#add-transition")
    row = page.locator("table.transitions tbody tr").last
    row.locator("select").nth(0).select_option(label="3. 审查")
    row.locator("select").nth(1).select_option(label="5. 送达")
    row.locator("input").fill(BRANCH_LABEL)
    row.locator("input").press("Tab")
    page.wait_for_function(
        f"() => document.querySelector('#preview svg').textContent.includes('{BRANCH_LABEL}')"
    )
    assert "流程图已满足提交条件" in page.inner_text("#preview")
    assert_accessible(page)

    with page.expect_navigation():
        page.click("#save-flowchart")
    assert page.url.endswith(f"/flowcharts/{chart.pk}/")
    svg = page.locator("figure.flowchart-figure svg").first.inner_html()
    for name, post in STEPS:
        assert name in svg
        assert f"承办:{post}" in svg
    assert BRANCH_LABEL in svg
    outline = page.inner_text(".flowchart-outline")
    assert "第5步 送达(不符合条件)" in outline
    assert chart.steps.count() == 5
    assert chart.transitions.count() == 5  # the chain of four, plus the branch
    assert_accessible(page)

    # The power page shows the same drawing.
    page.goto(f"{live_server.url}/powers/{power.pk}/")
    assert BRANCH_LABEL in page.locator("section[aria-labelledby=flowchart-heading] svg").inner_html()
