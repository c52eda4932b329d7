"""Hostile inputs against the real binary: after each one the server must still
run and /health must answer 200, and no answer may be a 5xx.

Starts `mediaops serve --demo` (MEDIAOPS_BIN, default .build/debug/mediaops) on a
free loopback port with a fresh data directory.
"""
from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from mediaops_server import DEMO_EMAIL, DEMO_PASSWORD, Server  # noqa: E402

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server():
    running = Server(demo=True, name="hostile").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def token(server):
    return server.token()


@pytest.fixture(scope="module")
def browser_session(server):
    """A signed-in cookie session, as the pages need (form sign-in with its CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.base + "/login", timeout=30).read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"_csrf": csrf, "email": DEMO_EMAIL, "password": DEMO_PASSWORD, "next": "/"}).encode()
    opener.open(urllib.request.Request(server.base + "/login", data=data, method="POST"), timeout=30).read()
    assert any(c.name == "mediaops_session" for c in jar), "the form sign-in set no session cookie"
    return opener


def still_healthy(server: Server, what: str):
    assert server.alive(), f"the server died after {what}:\n{server.log_tail()}"
    status, _, _ = server.get("/health", timeout=10)
    assert status == 200, f"/health answered {status} after {what}"


API_QUERIES = [
    "/api/v1/content?page=9223372036854775807",
    "/api/v1/content?page=9223372036854775808",
    "/api/v1/content?page=-9223372036854775808",
    "/api/v1/content?per_page=9223372036854775807",
    "/api/v1/content?per_page=99999999999999999999999",
    "/api/v1/content?page=0&per_page=0",
    "/api/v1/content?page=1e9",
    "/api/v1/content?q=%00",
    "/api/v1/content?q=%00%00%ff%fe",
    "/api/v1/content?q=%22%27%3B--",
    "/api/v1/content?q=" + "%E4%B8%AD" * 5000,
    "/api/v1/topics?page=9223372036854775807&per_page=9223372036854775807",
    # Ordinary filters too: each must answer, not fail in the database.
    "/api/v1/topics?status=proposed",
    "/api/v1/topics?source=hot_topic",
    "/api/v1/topics?q=%ff",
    "/api/v1/members?page=9223372036854775807",
    "/api/v1/audit-log?page=9223372036854775807",
    "/api/v1/audit-log?from=99999-99-99T99:99:99Z",
    "/api/v1/calendar?from=0000-00-00&to=9999-12-31",
    "/api/v1/library?q=%00",
    "/api/v1/targets?page=9223372036854775807",
    "/api/v1/content/%00",
    "/api/v1/content/" + "a" * 10000,
]


@pytest.mark.parametrize("path", API_QUERIES)
def test_hostile_api_queries(server, token, path):
    status, _, body = server.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    assert status < 500, f"GET {path[:200]} answered {status}: {body[:300].decode(errors='replace')}"
    still_healthy(server, f"GET {path[:200]}")


PAGE_QUERIES = [
    "/library?q=%22",
    "/content/library?q=%22",
    "/content/library?q=%00",
    "/content?q=%00&page=9223372036854775807",
    "/topics?page=9223372036854775807",
    "/topics?status=proposed&source=hot_topic",
    "/topics?q=%ff%fe",
    "/team/members?page=99999999999999999999",
    "/settings/audit?page=9223372036854775807",
    "/search?q=%00%22%3Cscript%3E",
    "/calendar?date=99999-01-01",
    "/publishing?view=%00",
]


@pytest.mark.parametrize("path", PAGE_QUERIES)
def test_hostile_page_queries(server, browser_session, path):
    try:
        with browser_session.open(server.base + path, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status < 500, f"GET {path} (signed in) answered {status}"
    still_healthy(server, f"GET {path}")


def channel(url: str) -> dict:
    return {"name": "hostile robot", "kind": "wecom", "url": url, "events": ["target.failed"]}


HOSTILE_BODIES = [
    ("POST", "/api/v1/notification-channels", channel("https://qyapi.weixin.qq.com:99999/cgi-bin/webhook/send?key=x")),
    ("POST", "/api/v1/notification-channels", channel("http://127.0.0.1:99999/hook")),
    ("POST", "/api/v1/notification-channels", channel("http://127.0.0.1:-1/hook")),
    ("POST", "/api/v1/notification-channels", channel("http://[::1]:99999999999999999999/hook")),
    ("POST", "/api/v1/notification-channels", channel("http://%00/hook")),
    ("POST", "/api/v1/content", {"title": "t\u0000itle", "body": "\u0000" * 1000}),
    ("POST", "/api/v1/content", {"title": "x", "planned_at": "99999-12-31T99:99:99Z"}),
    ("POST", "/api/v1/topics", {"title": "x", "priority": "\u0000", "groups": ["grp_" + "a" * 5000]}),
    ("POST", "/api/v1/compliance/check", {"text": "最好" * 100000}),
    # A t beyond the largest double, values at and past the engine's bounds, counts past any integer.
    ("POST", "/api/v1/analytics/significance", {"test": "welch", "a": [0, 5e-324], "b": [1e100, 1e100]}),
    ("POST", "/api/v1/analytics/significance", {"test": "mann_whitney", "a": [1e308, -1e308], "b": ["1", None, {}]}),
    ("POST", "/api/v1/analytics/significance", {"test": "two_proportions", "a_successes": 10**30, "a_trials": -10**30,
                                                "b_successes": 1.5, "b_trials": "x"}),
]


@pytest.mark.parametrize("method,path,payload", HOSTILE_BODIES, ids=[f"{m} {p} #{i}" for i, (m, p, _) in enumerate(HOSTILE_BODIES)])
def test_hostile_json_bodies(server, token, method, path, payload):
    status, body = server.api(method, path, payload, token=token)
    assert status < 500, f"{method} {path} answered {status}: {str(body)[:300]}"
    still_healthy(server, f"{method} {path}")


def test_robot_port_out_of_range_is_refused(server, token):
    """A robot address with port 99999 is not a valid URL: refused with 422, not stored."""
    status, body = server.api("POST", "/api/v1/notification-channels",
                              channel("https://qyapi.weixin.qq.com:99999/cgi-bin/webhook/send?key=x"), token=token)
    assert status in (400, 422), f"a robot URL with port 99999 answered {status}: {body}"
    still_healthy(server, "a robot URL with port 99999")


RAW_BODIES = [
    ("1 MB JSON string", b'{"title": "' + b"a" * MB + b'"}'),
    ("1 MB JSON array", b"[" + b"1," * (MB // 2) + b"1]"),
    ("deeply nested JSON", b"[" * 100000 + b"]" * 100000),
    ("deeply nested objects", b'{"a":' * 50000 + b"1" + b"}" * 50000),
    ("invalid UTF-8", b'{"title": "\xff\xfe\xfd"}'),
    ("NUL bytes", b'{"title": "a\x00b"}'),
    ("truncated JSON", b'{"title": '),
    ("huge number", b'{"title": "x", "version": 1' + b"0" * 5000 + b"}"),
]


@pytest.mark.parametrize("name,raw", RAW_BODIES, ids=[name for name, _ in RAW_BODIES])
@pytest.mark.parametrize("path", ["/api/v1/content", "/api/v1/session", "/api/v1/analytics/significance"])
def test_hostile_raw_bodies(server, token, name, raw, path):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    status, _, body = server.request("POST", path, body=raw, headers=headers)
    assert status < 500, f"POST {path} with {name} answered {status}: {body[:300].decode(errors='replace')}"
    if len(raw) >= MB:
        assert status in (400, 413, 422), f"POST {path} with {name} answered {status}; expected a refusal"
    still_healthy(server, f"POST {path} with {name}")


def test_still_alive_at_the_end(server):
    still_healthy(server, "all hostile inputs")


def test_viewer_cannot_write(server, token):
    """A read-only member (role "viewer", created through the API) is refused every write with 403."""
    status, body = server.api("POST", "/api/v1/members", {"name": "只读成员", "email": "hostile-viewer@mediaops.local",
                                                          "password": "viewer-password-1", "roles": ["viewer"]}, token=token)
    assert status == 201, f"creating a viewer answered {status}: {body}"
    viewer = server.token("hostile-viewer@mediaops.local", "viewer-password-1")
    status, listing = server.api("GET", "/api/v1/content?per_page=1", token=viewer)
    assert status == 200, f"a viewer cannot list content: {status} {listing}"
    content_id = listing["items"][0]["id"]
    refused = []
    for method, path, payload in [
        ("POST", "/api/v1/content", {"title": "viewer draft"}),
        ("PATCH", f"/api/v1/content/{content_id}", {"title": "viewer edit", "version": 1}),
        ("POST", f"/api/v1/content/{content_id}/comments", {"body": "viewer comment"}),
        ("POST", f"/api/v1/content/{content_id}/review", {"action": "approve", "version": 1}),
        ("POST", "/api/v1/topics", {"title": "viewer topic"}),
        ("PATCH", "/api/v1/settings", {"name": "viewer workspace"}),
        ("POST", "/api/v1/members", {"name": "x", "email": "x@mediaops.local", "password": "password-123", "roles": ["owner"]}),
        ("POST", "/api/v1/publishing/freeze", {"reason": "viewer"}),
    ]:
        status, body = server.api(method, path, payload, token=viewer)
        if status != 403:
            refused.append(f"{method} {path} as a viewer answered {status}: {str(body)[:200]}")
    assert not refused, "a viewer could write:\n" + "\n".join(refused)
    still_healthy(server, "viewer writes")
