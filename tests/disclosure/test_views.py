import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache

from disclosure.services import publication_create
from tests.disclosure.conftest import CANARY_CODES, CANARY_NAMES
from tests.disclosure.factories import revise_and_confirm


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def crawl(client, start="/", limit=200):
    """Every public page reachable from `start` by links (staff and login pages left out)."""
    seen, todo, pages = set(), [start], {}
    while todo and len(seen) < limit:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        pages[url] = body
        if "html" not in response["Content-Type"]:
            continue
        for href in re.findall(r'href="([^"#]+)', body):
            href = href.replace("&amp;", "&")
            target = urlparse(urljoin(url, href))
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc or not path.startswith(("/r/", "/p/", "/search/", "/?")) and path != "/":
                continue
            todo.append(path)
    return pages


@pytest.mark.django_db
def test_canaries_never_appear_on_any_public_page_or_feed_or_search(client, published):
    pages = crawl(client)
    for q in ("金丝雀", "许可", "审批", "不予公开", "秘密"):
        pages[q] = client.get("/search/", {"q": q}).content.decode()
    # A search by a canary's code finds nothing (the page echoes only the query).
    for code in CANARY_CODES:
        assert client.get("/search/", {"q": code}).context["result"]["count"] == 0, code
    assert any("/p/210000/210000-XK-001/" in url for url in pages)
    assert any("/d/" in url and url.endswith("/changes/feed/") for url in pages)
    assert any(url == "/r/210000/changes/feed/" for url in pages)
    for url, body in pages.items():
        for name in CANARY_NAMES + CANARY_CODES:
            assert name not in body, (name, url)
    # The public sees that the department withholds one power, and on which ground.
    department_page = pages[f"/r/210000/d/{published.publication.department_id}/"]
    assert re.search(r"<td>不予公开</td><td>依法确定为国家秘密</td><td>1</td>", department_page)
    assert client.get("/p/210000/210000-XK-CANARY4/").status_code == 404
    assert "建设工程消防设计审查" in client.get("/p/210000/210000-XK-CANARY2/").content.decode()


@pytest.mark.django_db
def test_public_pages_need_no_login(client, published):
    for url in ("/", "/r/210000/", f"/r/210000/d/{published.publication.department_id}/",
                "/p/210000/210000-XK-001/", "/p/210000/210000-XK-001/v1/", "/search/?q=许可"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.django_db
def test_version_urls_stay_stable_and_compare_shows_the_change(org, client, published, django_capture_on_commit_callbacks):
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.dept_reviewer, department=org.dept, note="压缩承诺时限。")
    v1 = client.get("/p/210000/210000-XK-001/v1/").content.decode()
    v2 = client.get("/p/210000/210000-XK-001/v2/").content.decode()
    current = client.get("/p/210000/210000-XK-001/").content.decode()
    assert "10 个工作日" in v1 and "这是该事项的一个历史公开版本" in v1
    assert "5 个工作日" in v2 and "5 个工作日" in current
    assert client.get("/p/210000/210000-XK-001/v3/").status_code == 404
    compare = client.get("/p/210000/210000-XK-001/compare/", {"a": 1, "b": 2}).content.decode()
    assert "1 处不同" in compare
    assert re.search(r'class="pub-changed"><th scope="row">承诺时限\(工作日\)', compare)


@pytest.mark.django_db
def test_a_cache_hit_is_answered_before_the_staff_middlewares(org, client, published, django_assert_num_queries):
    url = "/p/210000/210000-XK-001/"
    miss = client.get(url)
    assert miss["X-Public-Cache"] == "miss"
    assert hasattr(miss.wsgi_request, "user")  # the whole chain ran
    with django_assert_num_queries(0):
        hit = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert hit["X-Public-Cache"] == "hit"
    assert not hasattr(hit.wsgi_request, "user")  # AuthenticationMiddleware never ran
    assert hit.content == miss.content
    # What the skipped middlewares would have added, and what the outer ones still add.
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["Content-Length"] == str(len(miss.content))
    assert hit["Content-Language"] == "zh-hans"
    assert "Content-Security-Policy" in hit
    assert hit["ETag"] == miss["ETag"] and hit["Cache-Control"] == miss["Cache-Control"]
    # The hit carries exactly the miss's headers (the ETag and Last-Modified stored with it).
    assert {k: v for k, v in hit.items() if k != "X-Public-Cache"} == {
        k: v for k, v in miss.items() if k != "X-Public-Cache"}
    assert hit["Vary"] == "Cookie, Accept-Language" and hit["Cache-Control"] == "public, max-age=60"
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=miss["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == miss["ETag"]
    assert not hasattr(not_modified.wsgi_request, "user")  # a 304 is answered early too
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=miss["Last-Modified"])
    assert since.status_code == 304 and since["Last-Modified"] == miss["Last-Modified"]
    # The elderly-friendly mode's hit sets its cookie as its miss did.
    client.get(url, {"display": "large"})
    large = client.get(url, {"display": "large"})
    assert large["X-Public-Cache"] == "hit" and large.cookies["public_display"].value == "large"
    # The English page is another entry: a miss first, through the whole chain.
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Public-Cache"] == "miss" and english["Content-Language"] == "en"
    # A parameter public pages do not read is never stored, so never answered early.
    junk = client.get(url, {"utm": "x"})
    assert junk["X-Public-Cache"] == "miss" and hasattr(junk.wsgi_request, "user")
    # Staff pages are not touched by it.
    login = client.get("/accounts/login/")
    assert login.status_code == 200 and hasattr(login.wsgi_request, "user")


@pytest.mark.django_db
def test_cancelled_power_stays_reachable_with_reason(org, client, published, django_capture_on_commit_callbacks):
    revise_and_confirm(org, published.penalty, disposition="cancel", disposition_reason="上位法已废止。")
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.dept_reviewer, department=org.dept, note="取消一项处罚。")
    body = client.get("/p/210000/210000-CF-001/").content.decode()
    assert "该事项已取消" in body and "上位法已废止。" in body


@pytest.mark.django_db
def test_pages_are_cached_and_a_publication_invalidates_them(org, client, published, django_capture_on_commit_callbacks):
    first = client.get("/p/210000/210000-XK-001/")
    assert first["X-Public-Cache"] == "miss"
    again = client.get("/p/210000/210000-XK-001/")
    assert again["X-Public-Cache"] == "hit"
    assert client.get("/p/210000/210000-XK-001/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    assert client.get("/p/210000/210000-XK-001/")["X-Public-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        publication_create(user=org.dept_reviewer, department=org.dept, note="压缩承诺时限。")
    after = client.get("/p/210000/210000-XK-001/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["X-Public-Cache"] == "miss"
    assert after["ETag"] != first["ETag"]
    assert "5 个工作日" in after.content.decode()


@pytest.mark.django_db
def test_elderly_mode_by_query_parameter_sets_a_cookie(client, published):
    response = client.get("/p/210000/210000-XK-001/", {"display": "large"})
    assert 'class="display-large"' in response.content.decode()
    assert response.cookies["public_display"].value == "large"
    assert 'class="display-large"' in client.get("/").content.decode()
    assert 'class="display-standard"' in client.get("/", {"display": "standard"}).content.decode()


@pytest.mark.django_db
def test_publish_page_previews_then_publishes(org, client, published):
    revise_and_confirm(org, published.licence, promised_limit_days=5)
    client.force_login(org.dept_reviewer)
    page = client.get(f"/publish/{org.dept.pk}/").content.decode()
    assert "变更 1 项" in page and "承诺时限(工作日)" in page
    response = client.post(f"/publish/{org.dept.pk}/", {"note": "压缩承诺时限。"})
    assert response.status_code == 302
    client.force_login(org.clerk)
    assert client.get(f"/publish/{org.dept.pk}/").status_code == 403


@pytest.mark.django_db
def test_feed_lists_each_publication(client, published):
    body = client.get(f"/r/210000/d/{published.publication.department_id}/changes/feed/").content.decode()
    assert "<feed" in body and "首次公开本部门行政职权目录。" in body
    assert "第1批公开:新增4项,变更0项,取消0项" in body


@pytest.mark.django_db
def test_public_lists_cost_a_fixed_number_of_queries(org, client, published, django_assert_max_num_queries):
    from tests.disclosure.factories import confirmed_power

    dept, xk = org.dept.pk, published.licence.category_id
    for n in range(2, 8):
        confirmed_power(org, name=f"建设项目许可{n}", code=f"210000-XK-10{n}")
    publication_create(user=org.dept_reviewer, department=org.dept, note="新增事项。")
    cache.clear()
    for url in (f"/r/210000/d/{dept}/c/{xk}/", "/search/?q=许可", f"/r/210000/d/{dept}/", "/r/210000/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_feed_costs_the_same_queries_for_one_or_six_publications(org, client, published, django_assert_num_queries):
    url = f"/r/210000/d/{published.publication.department_id}/changes/feed/"
    for n in range(5):
        publication_create(user=org.dept_reviewer, department=org.dept, note=f"第{n}次补充公开。")
    cache.clear()
    # region, department, publication exists, generation/last-modified aggregate, the log
    # itself, the recorded adjustment notes (none here, so their items are not fetched).
    with django_assert_num_queries(7):
        body = client.get(url).content.decode()
    assert body.count("<entry>") == 6


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"region": "abc"}, {"level": "zzz"}, {"category": "99999999999999999999"}])
def test_a_mangled_search_filter_is_named_and_the_search_still_runs(client, bad):
    response = client.get("/search/", {"q": "许可", **bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "的值无效,已忽略。" in body
    assert response.context["result"] is not None


@pytest.mark.django_db
def test_unknown_query_parameters_are_answered_but_never_stored(client, published):
    for _ in range(2):  # the same junk twice: the second would be a hit had it been stored
        response = client.get("/p/210000/210000-XK-001/", {"x": "1"})
        assert response.status_code == 200 and response["X-Public-Cache"] == "miss"
    assert client.get("/p/210000/210000-XK-001/", {"display": "large"})["X-Public-Cache"] == "miss"
    assert client.get("/p/210000/210000-XK-001/", {"display": "large"})["X-Public-Cache"] == "hit"
