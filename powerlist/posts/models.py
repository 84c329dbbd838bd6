"""Posts (岗位) and their descriptions (岗位说明书); flowchart steps name them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from powerlist.catalogue.models import Power
from powerlist.org.models import Department, Division


class Post(models.Model):
    """A post (岗位) in a division, described by its post description."""

    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.CASCADE,
                                   related_name="posts")
    division = models.ForeignKey(Division, verbose_name=_("处(科、室)"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="posts")
    name = models.CharField(_("岗位名称"), max_length=100)
    duties = models.TextField(_("岗位职责"), blank=True)
    qualifications = models.TextField(_("任职条件"), blank=True)
    # Powers handled besides those derived from flowchart steps naming this post.
    extra_powers = models.ManyToManyField(Power, verbose_name=_("另行指定的权力事项"), blank=True,
                                          related_name="extra_posts")
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["department", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="post_unique_name")]

    def __str__(self):
        return self.name
