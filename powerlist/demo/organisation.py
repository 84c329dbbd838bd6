"""Demo data for the organisation: 辽宁省, 沈阳市 and 康平县, the pilot departments,
each region's four offices, divisions, and one user per role. Idempotent
(get_or_create by natural keys)."""

from powerlist.catalogue.models import Category
from powerlist.catalogue.reference import ensure_categories
from powerlist.org.models import Department, Division, Region, RoleAssignment, User
from powerlist.org.roles import Role

PROVINCE_PILOTS = (
    ("发展改革委", ("投资处", "价格处", "政策法规处", "办公室")),
    ("科技厅", ("科技计划处", "政策法规处", "办公室")),
    ("民政厅", ("社会组织管理处", "社会救助处", "办公室")),
    ("财政厅", ("预算处", "国库处", "政府采购监督管理处")),
    ("人力资源社会保障厅", ("就业促进处", "职业能力建设处", "劳动关系处")),
    ("国土资源厅", ("耕地保护处", "地籍管理处", "矿业权管理处")),
    ("环保厅", ("环境影响评价处", "污染防治处", "环境监察局")),
    ("住房城乡建设厅", ("建筑市场监管处", "房地产市场监管处", "城市建设处")),
    ("交通厅", ("综合规划处", "运输管理处", "建设管理处")),
    ("水利厅", ("水资源处", "建设与管理处", "政策法规处")),
    ("工商局", ("企业注册局", "市场规范管理处", "消费者权益保护处")),
)
CITY_DEPARTMENTS = (
    ("发展改革委", ("投资科", "价格科", "法规科")),
    ("民政局", ("社会组织管理科", "社会救助科")),
    ("财政局", ("预算科", "采购管理科")),
    ("环保局", ("环评科", "监察支队")),
)
COUNTY_DEPARTMENTS = (
    ("发展改革局", ("投资股", "价格股")),
    ("民政局", ("社会事务股",)),
)
OFFICES = (
    ("权力公开透明运行工作领导小组办公室", Department.Kind.LEADING_GROUP_OFFICE),
    ("编委办", Department.Kind.ESTABLISHMENT_OFFICE),
    ("政府法制办", Department.Kind.LEGAL_OFFICE),
    ("纪委监察厅", Department.Kind.DISCIPLINE),
)

# username → (display name, office kind or None for the 发展改革委, division, roles)
DEMO_USERS = (
    ("clerk", "王经办", None, "投资处", [Role.CLERK]),
    ("dept_reviewer", "李审核", None, None, [Role.DEPARTMENT_REVIEWER]),
    ("office_reviewer", "张办公室", Department.Kind.LEADING_GROUP_OFFICE, None, [Role.OFFICE_REVIEWER]),
    ("establishment", "赵编委办", Department.Kind.ESTABLISHMENT_OFFICE, None, [Role.ESTABLISHMENT_CONFIRMER]),
    ("legal", "钱法制办", Department.Kind.LEGAL_OFFICE, None, [Role.LEGAL_CONFIRMER]),
    ("expert", "孙专家", Department.Kind.LEADING_GROUP_OFFICE, None, [Role.EXPERT]),
    ("supervisor", "周监察", Department.Kind.DISCIPLINE, None, [Role.SUPERVISOR]),
    ("admin", "系统管理员", Department.Kind.LEADING_GROUP_OFFICE, None, [Role.ADMINISTRATOR]),
)


def _region(code, name, level, parent=None):
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def _department(region, name, kind=Department.Kind.ORDINARY, *, pilot=False, order=0, divisions=()):
    department, _ = Department.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "is_pilot": pilot, "order": order}
    )
    for i, division_name in enumerate(divisions):
        Division.objects.get_or_create(department=department, name=division_name, defaults={"order": i})
    return department


def demo_user(username, password, *, display_name, department, division=None, roles=(), superuser=False):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "department": department, "division": division},
    )
    if created or password:
        user.set_password(password)
    user.display_name, user.department, user.division = display_name, department, division
    user.is_staff = user.is_superuser = superuser
    user.save()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    return user


def seed(ctx):
    password = ctx["password"]
    ensure_categories(Category)
    province = _region("210000", "辽宁省", Region.Level.PROVINCE)
    province.promised_limit_reduction_percent = 30
    province.save(update_fields=["promised_limit_reduction_percent"])
    city = _region("210100", "沈阳市", Region.Level.CITY, province)
    county = _region("210123", "康平县", Region.Level.COUNTY, city)

    offices = {}
    for region in (province, city, county):
        for i, (name, kind) in enumerate(OFFICES):
            offices[(region.code, kind)] = _department(region, name, kind, order=900 + i)
    for i, (name, divisions) in enumerate(PROVINCE_PILOTS):
        _department(province, name, pilot=True, order=i, divisions=divisions)
    for i, (name, divisions) in enumerate(CITY_DEPARTMENTS):
        _department(city, name, pilot=True, order=i, divisions=divisions)
    for i, (name, divisions) in enumerate(COUNTY_DEPARTMENTS):
        _department(county, name, order=i, divisions=divisions)

    fgw = Department.objects.get(region=province, name="发展改革委")
    users = {}
    for username, display, kind, division_name, roles in DEMO_USERS:
        department = offices[(province.code, kind)] if kind else fgw
        division = Division.objects.get(department=department, name=division_name) if division_name else None
        users[username] = demo_user(
            username, password, display_name=display, department=department, division=division,
            roles=roles, superuser=(username == "admin"),
        )
    city_fgw = Department.objects.get(region=city, name="发展改革委")
    users["city_clerk"] = demo_user(
        "city_clerk", password, display_name="沈阳市经办人", department=city_fgw,
        division=Division.objects.get(department=city_fgw, name="投资科"), roles=[Role.CLERK],
    )
    users["city_reviewer"] = demo_user(
        "city_reviewer", password, display_name="沈阳市部门审核人", department=city_fgw,
        roles=[Role.DEPARTMENT_REVIEWER],
    )
    ctx.update(province=province, city=city, county=county, fgw=fgw, city_fgw=city_fgw,
               users=users, offices=offices)
    return ctx
