"""The public search table: one narrow row per current published power.

Search used to read `disclosure_publishedpower`, whose rows also carry the whole JSON
snapshot, so a common two-character query (许可) scanned hundreds of MB. This table holds
only what search filters, ranks and counts on: the vectors, the code, and the four facet
ids. `disclosure.services` rewrites a department's rows in the transaction that
publishes it (the previous publication's rows go, the new publication's come), so it
always holds exactly the rows with `is_current`. Pages then read the 20 shown
PublishedPower rows by primary key.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.search_field import SearchVectorField


class PublicSearchEntry(models.Model):
    published = models.OneToOneField("disclosure.PublishedPower", verbose_name=_("公开事项"), primary_key=True,
                                     on_delete=models.CASCADE, related_name="search_entry")
    region = models.ForeignKey("powerlist.Region", verbose_name=_("行政区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("powerlist.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    category = models.ForeignKey("powerlist.Category", verbose_name=_("职权类别"), on_delete=models.PROTECT,
                                 related_name="+")
    level = models.CharField(_("层级"), max_length=10, db_index=True)
    code = models.CharField(_("事项编码"), max_length=50)
    # Lower-case code: the exact-code hit is an index lookup.
    code_key = models.CharField(_("编码检索键"), max_length=50, db_index=True)
    # name | code | body tokens, weighted A, B, C (matching).
    vector = SearchVectorField(_("检索向量"))
    # The name's tokens alone (name hits first: its own GIN index).
    name_vector = SearchVectorField(_("名称检索向量"), weighted=False)

    class Meta:
        verbose_name = _("公开检索条目")
        verbose_name_plural = _("公开检索条目")
        indexes = [models.Index(fields=["code", "published"], name="public_search_code_idx")]

    def __str__(self):
        return self.code


def search_entries(rows, tokens) -> list:
    """Unsaved entries for PublishedPower `rows` (saved, with ids) and their token texts."""
    return [
        PublicSearchEntry(published_id=row.pk, region_id=row.region_id, department_id=row.department_id,
                          category_id=row.category_id, level=row.level, code=row.code, code_key=row.code.lower(),
                          vector=text, name_vector=text.split("|", 1)[0])
        for row, text in zip(rows, tokens)
    ]
