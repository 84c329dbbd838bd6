"""What each kind of background job is, for its page: a title ("导入行政权力事项") and
the page it was started from, to go back to. powerlist's kinds are here; a higher app
registers its own in AppConfig.ready() (riskpoints/apps.py), so the job page names no
higher app's URLs."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class JobKind:
    title: str
    back_url_name: str
    back_label: str


_KINDS = {}


def register_job_kind(kind, *, title, back_url_name, back_label):
    """Name a job kind and the page (URL name, no arguments) that starts it."""
    _KINDS[kind] = JobKind(title=title, back_url_name=back_url_name, back_label=back_label)


def job_description(job):
    """{"title", "back_url", "back_label"} of `job`: the kind's title with the uploaded
    file's name ("导入行政权力事项:清单.xlsx"), and the page it was started from; a kind
    nobody registered is a "后台任务" that leads back to the workspace."""
    kind = _KINDS.get(job.kind)
    if kind is None:
        return {"title": _("后台任务"), "back_url": reverse("powerlist:workspace"), "back_label": _("返回工作台")}
    filename = (job.params or {}).get("filename")
    title = f"{kind.title}:{filename}" if filename else str(kind.title)
    return {"title": title, "back_url": reverse(kind.back_url_name), "back_label": str(kind.back_label)}


register_job_kind("power_import", title=gettext_lazy("导入行政权力事项"), back_url_name="powerlist:power_import",
                  back_label=gettext_lazy("返回导入页面"))
register_job_kind("power_export", title=gettext_lazy("导出行政权力事项"), back_url_name="powerlist:power_list",
                  back_label=gettext_lazy("返回权力事项"))
register_job_kind("power_export_layout", title=gettext_lazy("导出本地区权责清单格式"),
                  back_url_name="powerlist:power_list", back_label=gettext_lazy("返回权力事项"))
