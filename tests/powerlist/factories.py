"""factory_boy factories for the organisation and the catalogue."""

import factory
from factory.django import DjangoModelFactory

from powerlist.catalogue.models import AccountabilityCircumstance, ResponsibilityItem
from powerlist.models import Category, Department, Division, LegalBasis, Power, Region, RoleAssignment, User
from powerlist.org.roles import Role


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "210000"
    name = "辽宁省"
    level = Region.Level.PROVINCE
    parent = None


class CityFactory(RegionFactory):
    code = factory.Sequence(lambda n: f"21{(n % 90) + 1:02d}00")
    name = factory.Sequence(lambda n: f"测试市{n}")
    level = Region.Level.CITY
    parent = factory.SubFactory(RegionFactory)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"测试厅{n}")
    kind = Department.Kind.ORDINARY


class OfficeFactory(DepartmentFactory):
    name = factory.Sequence(lambda n: f"领导小组办公室{n}")
    kind = Department.Kind.LEADING_GROUP_OFFICE


class DivisionFactory(DjangoModelFactory):
    class Meta:
        model = Division

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"第{n}处")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-secret-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ():
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)


def make_user(role, department, *, division=None, **kwargs):
    return UserFactory(department=department, division=division, roles=[role], **kwargs)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "XK"
    name = "行政许可"
    short_name = "许可"
    order = 10


class PowerFactory(DjangoModelFactory):
    class Meta:
        model = Power
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")
    division = factory.SubFactory(DivisionFactory, department=factory.SelfAttribute("..department"))
    code = factory.Sequence(lambda n: f"210000-XK-{n:05d}")
    name = factory.Sequence(lambda n: f"企业投资项目核准{n}")
    category = factory.SubFactory(CategoryFactory)
    statutory_limit_days = 20
    promised_limit_days = 10
    # A legal basis and a responsibility item, so the power may be submitted
    # (catalogue.services.power_review_precheck).
    basis = factory.RelatedFactory(
        "tests.powerlist.factories.LegalBasisFactory", factory_related_name="power"
    )
    duty = factory.RelatedFactory(
        "tests.powerlist.factories.ResponsibilityItemFactory", factory_related_name="power"
    )


class SubItemFactory(DjangoModelFactory):
    """A sub-item of `parent` (code: the main item's plus -NN) with its own name only:
    every other field blank, inherited from the main item."""

    class Meta:
        model = Power

    parent = factory.SubFactory(PowerFactory)
    department = factory.SelfAttribute("parent.department")
    region = factory.SelfAttribute("parent.region")
    division = factory.SelfAttribute("parent.division")
    category = factory.SelfAttribute("parent.category")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"子项{n}")


class ResponsibilityItemFactory(DjangoModelFactory):
    class Meta:
        model = ResponsibilityItem

    power = factory.SubFactory(PowerFactory)
    stage = "decision"
    text = "依法受理、审查并作出决定。"


class AccountabilityCircumstanceFactory(DjangoModelFactory):
    class Meta:
        model = AccountabilityCircumstance

    power = factory.SubFactory(PowerFactory)
    text = "对符合法定条件的申请不予受理的。"


class LegalBasisFactory(DjangoModelFactory):
    class Meta:
        model = LegalBasis

    power = factory.SubFactory(PowerFactory)
    law_name = "《中华人民共和国行政许可法》"
    article = "第四十二条"
    text = "除可以当场作出行政许可决定的外,行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。"


__all__ = ["Role"]
