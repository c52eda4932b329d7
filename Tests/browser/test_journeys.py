"""The journeys of shared/UI.md, in a real headless Chromium, in Chinese (the
default) and in English, against real `mediaops serve` processes.

Every page visited goes through Browser.check() (see conftest.py): no 5xx, no
error page, no raw catalog key, and on English pages English interface text.
Problems that do not stop a journey are collected and reported together at its
end, so one run shows everything a journey ran into.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import string
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import CATALOGS, CJK, Browser, data_strings, wait_until
from mediaops_server import DEMO_EMAIL, DEMO_PASSWORD, Server

LANGS = ["zh", "en"]
DIRECTOR = "zhouhang@mediaops.local"      # 运营总监: approves the first stage (内容主管) of the brand flow
REVIEWER = "chenjing@mediaops.local"      # 新媒体经理 + 合规审核: the second stage
BRAND_GROUP = "青禾茶饮"                    # the demo's main brand group, with the two-stage review flow


def tag() -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=6))


class Problems(list):
    """Findings that do not stop the journey; the test fails with all of them at its end."""

    def check(self, condition, message: str):
        if not condition:
            self.append(message)
        return condition

    def raise_if_any(self):
        assert not self, "problems along the journey:\n- " + "\n- ".join(self)


def start(browser: Browser, path: str = "/login"):
    """Opens the first page and, if it is not yet in the browser's language, uses
    the language switch on the page (the choice is then stored)."""
    target = browser.lang
    browser.driver.get(browser.base + path)
    html_lang = browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""
    shown = "en" if html_lang.startswith("en") else "zh"
    browser.lang, browser.t = shown, CATALOGS[shown]
    browser.check()
    if shown != target:
        browser.switch_language(target)
    return browser


def signed_in_browser(make, server: Server, lang: str, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> Browser:
    browser = make(lang, server.base)
    browser.data_strings |= server_data(server)
    start(browser, "/login")
    browser.sign_in(email, password)
    return browser


_DATA_CACHE: dict[str, set[str]] = {}


def server_data(server: Server, refresh: bool = False) -> set[str]:
    if refresh or server.base not in _DATA_CACHE:
        _DATA_CACHE[server.base] = data_strings(server)
    return _DATA_CACHE[server.base]


def checkbox_by_label(browser: Browser, scope_css: str, text: str):
    for label in browser.els(f"{scope_css} label.check"):
        if text in label.text:
            return label.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    raise AssertionError(f"no checkbox labelled {text!r} in {scope_css}")


def tick(browser: Browser, box):
    if not box.is_selected():
        browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        box.click()


def select_by_label(browser: Browser, css: str, text: str):
    element = browser.el(css)
    for option in element.find_elements(By.TAG_NAME, "option"):
        if option.text.strip() == text:
            browser.select(css, option.get_attribute("value"))
            return option.get_attribute("value")
    raise AssertionError(f"no option {text!r} in {css}: {[o.text for o in element.find_elements(By.TAG_NAME, 'option')]}")


def flash_text(browser: Browser) -> str:
    return " ".join(e.text for e in browser.els(".flash"))


# ============================================================ J0 language before a choice

@pytest.mark.parametrize("lang", LANGS)
def test_language_follows_accept_language_before_a_choice(demo_servers, lang):
    """UI.md: before a member chooses, the language follows Accept-Language (the login page included)."""
    server = demo_servers[lang]
    header = "en-US,en;q=0.9" if lang == "en" else "zh-CN,zh;q=0.9,en;q=0.5"
    status, _, body = server.get("/login", headers={"Accept-Language": header})
    assert status == 200
    html = body.decode()
    html_lang = re.search(r'<html lang="([^"]+)"', html).group(1)
    expected = CATALOGS[lang]["login.title"]
    assert html_lang.startswith("en" if lang == "en" else "zh") and f"<h1>{expected}</h1>" in html, (
        f"GET /login with Accept-Language: {header} showed <html lang={html_lang!r}>, "
        f"heading {re.search(r'<h1>([^<]*)', html).group(1)!r}; expected {expected!r}")


# ============================================================ J1 first run

@pytest.mark.parametrize("lang", LANGS)
def test_j1_first_run(fresh_server, browser_factory, lang):
    server = fresh_server
    browser = browser_factory(lang, server.base)
    suffix = tag()
    owner_email = f"owner-{suffix}@example.test"
    owner_name = "Ada Owner" if lang == "en" else "王小明"
    workspace = f"Tea Lab {suffix}" if lang == "en" else f"茶研所 {suffix}"
    browser.data_strings |= {owner_name, workspace, "王小明", "李华"}

    # An empty database sends every page to /setup.
    start(browser, "/")
    assert browser.path.startswith("/setup"), f"an empty server should redirect / to /setup, it went to {browser.path}"
    assert browser.els("form[action='/setup']"), "the setup page has no setup form"

    browser.fill("#workspace_name", workspace)
    locale = "en" if lang == "en" else "zh-Hans"
    if browser.els("#locale"):
        browser.select("#locale", locale)
    browser.fill("#name", owner_name)
    browser.fill("#email", owner_email)
    browser.fill("#password", "first-run-password-1")
    browser.submit(browser.el("form[action='/setup'] button[type=submit]"))

    # Signed in, on "add an account".
    assert browser.path.startswith("/accounts/new"), f"after setup expected /accounts/new, at {browser.path}"
    assert browser.els(".user-menu"), "after setup the owner is not signed in (no user menu)"
    assert browser.t["flash.setup_done"] in flash_text(browser), f"no setup notice; flash: {flash_text(browser)!r}"

    # Add a Weibo account.
    account_name = f"Weibo {suffix}"
    browser.select("#platform", "weibo")
    browser.fill("#name", account_name)
    browser.fill("#handle", f"weibo_{suffix}")
    browser.submit(browser.el("form[action='/accounts'] button[type=submit]"))
    errors = [e.text for e in browser.els(".error, .alert")]
    assert not errors, f"adding the account was refused: {errors}"
    browser.open("/accounts")
    assert account_name in browser.main_text(), "the new account is not in the account matrix"

    # Invite a member.
    browser.open("/team/members/new")
    member_email = f"member-{suffix}@example.test"
    member_name = "Li Hua" if lang == "en" else "李华"
    browser.fill("#name", member_name)
    browser.fill("#email", member_email)
    browser.fill("#password", "member-password-1")
    browser.submit(browser.el("form[action='/team/members'] button[type=submit]"))
    errors = [e.text for e in browser.els(".error, .alert")]
    assert not errors, f"inviting the member was refused: {errors}"
    browser.open("/team/members")
    assert member_name in browser.main_text(), "the invited member is not in the member list"
    # The invited member can sign in with the password they were given.
    assert server.token(member_email, "member-password-1")


# ============================================================ J2 topic → content → review → calendar

def review_state(browser: Browser) -> str:
    found = browser.els("main .page-head h1 .status")
    return found[0].get_attribute("class") if found else ""


def approve_all_you_can(browser: Browser, content_path: str, problems: Problems, who: str) -> int:
    """Approves as long as this member is offered the approve button; returns how many times."""
    approved = 0
    for _ in range(3):
        browser.open(content_path)
        buttons = browser.els("#review form.decide button[name=action][value=approve]")
        if not buttons:
            break
        browser.fill("#review-comment", "OK" if browser.lang == "en" else "可以")
        browser.submit(buttons[0])
        problems.check(not browser.els("#review .error"), f"{who}: approving was refused: {[e.text for e in browser.els('#review .error')]}")
        approved += 1
    return approved


@pytest.mark.parametrize("lang", LANGS)
def test_j2_topic_to_scheduled_content(demo_servers, browser_factory, lang):
    server = demo_servers[lang]
    problems = Problems()
    t = CATALOGS[lang]
    suffix = tag()
    topic_title = f"Winter tea topic {suffix}" if lang == "en" else f"冬季茶饮选题 {suffix}"
    bad_body = "这是全网最好的奶茶，销量第一。"
    good_body = "这是一杯深受用户喜爱的奶茶，回购率高。"
    owner = signed_in_browser(browser_factory, server, lang)
    owner.data_strings |= {topic_title, bad_body, good_body, "全网最好", "销量第一", "可以"}

    # --- propose a topic for the brand group, accept it, turn it into content
    owner.open("/topics")
    owner.fill("#topic-title", topic_title)
    tick(owner, checkbox_by_label(owner, "#propose", BRAND_GROUP))
    owner.submit(owner.el("#propose button[type=submit]"))
    assert re.match(r"^/topics/top_", owner.path), f"proposing a topic should open it, at {owner.path}: {owner.main_text()[:300]}"
    topic_path = owner.path
    # The topic pool's filters (state in the URL) find it.
    owner.open("/topics")
    owner.select("#status", "proposed")
    owner.fill("#q", topic_title)
    try:
        owner.submit(owner.el("form.filters button[type=submit]"))
        problems.check("status=proposed" in owner.path, f"the topic filter is not in the URL: {owner.path}")
        problems.check(owner.els(f"table a[href='{topic_path}']"), "filtering the topic pool by proposed and its title does not list it")
    except AssertionError as error:  # reported with the rest; the journey goes on
        problems.append(f"filtering the topic pool by state failed: {str(error)[:300]}")
    owner.open(topic_path)
    accept = owner.els("form[action$='/decision'] button[name=status][value=accepted]")
    if accept:
        owner.submit(accept[0])
    owner.submit(owner.el("form[action$='/convert'] button[type=submit]"))
    assert re.match(r"^/content/cnt_", owner.path), f"converting the topic should open the content item, at {owner.path}: {owner.main_text()[:500]}"
    content_path = owner.path.split("#")[0]
    content_id = content_path.rsplit("/", 1)[1]

    # --- the master copy with an absolute term: the finding is shown
    group_value = select_by_label(owner, "#group_id", BRAND_GROUP) if owner.el("#group_id") else None
    owner.fill("#body", bad_body)
    owner.submit(owner.el("#master form button[type=submit]"))
    terms = [e.text for e in owner.els(".check-summary .finding q.term, .check-summary .finding .term")]
    assert any("最好" in term for term in terms) and any("第一" in term for term in terms), (
        f"the compliance check shows no finding for 最好 / 第一; findings: {terms}; panel: {owner.text('.check-summary')!r}")
    problems.check(owner.els(".check-summary .status-block"), "a blocking finding is not marked as blocking")
    if group_value:
        problems.check(owner.el("#group_id").get_attribute("value") == group_value, "the account group did not stay selected after saving")

    # --- variants for 公众号 and 微博
    for platform in ("wechat_oa", "weibo"):
        owner.open(content_path)
        options = [o.get_attribute("value") for o in owner.els("#add-platform option")]
        assert platform in options, f"{platform} cannot be added as a variant; choices: {options}"
        owner.select("#add-platform", platform)
        owner.submit(owner.el("form[action$='/variants'] button[type=submit]"))
        assert owner.els(f"#variant-{platform}"), f"the {platform} variant did not appear: {[e.text for e in owner.els('.error, .alert')]}"
    short = {"wechat_oa": t["platform.wechat_oa.short"], "weibo": t["platform.weibo.short"]}
    for platform, name in short.items():
        problems.check(name in owner.text(f"#variant-{platform} .variant-head"), f"the {platform} variant is not labelled {name!r}")

    # --- fix the finding everywhere it appears (master and variants)
    owner.open(content_path)
    owner.fill("#body", good_body)
    owner.submit(owner.el("#master form button[type=submit]"))
    for platform in ("wechat_oa", "weibo"):
        body = owner.els(f"#variant-{platform} textarea[name=body]")
        if body and re.search("最好|第一", body[0].get_attribute("value") or ""):
            owner.fill(f"#variant-{platform} textarea[name=body]", good_body)
            owner.submit(owner.el(f"#variant-{platform} form[action$='/variants/{platform}'] button[type=submit]"))
    owner.open(content_path)
    remaining = [e.text for e in owner.els(".finding.finding-block")]
    assert not remaining, f"blocking findings remain after removing 最好 / 第一: {remaining}"
    assert owner.els(".check-summary .status-ok"), f"the check panel does not say the text is clean: {owner.text('.check-summary')!r}"

    # --- submit for review
    submit = owner.els("#review form input[name=action][value=submit]")
    assert submit, f"no submit-for-review button on a clean draft; review panel: {owner.text('#review')!r}"
    owner.submit(submit[0].find_element(By.XPATH, "./ancestor::form//button[@type='submit']"))
    problems.check(not owner.els("#review .error, main > .alert"), f"submitting was refused: {[e.text for e in owner.els('#review .error, .alert')]}")
    assert "state-in_review" in review_state(owner), f"after submitting, the state is {owner.text('main .page-head h1 .status')!r}"
    stages = owner.els("#review ol.stages li")
    assert len(stages) == 2, f"the brand group should have a two-stage flow, the page lists {[s.text for s in stages]}"

    # --- approval: the demo owner sits in both stages of the brand flow and approves both;
    # where an owner could not, the page must say why and who can (checked below).
    approved_by_owner = approve_all_you_can(owner, content_path, problems, "owner")
    problems.check(approved_by_owner == 2, f"the demo owner approved {approved_by_owner} of the 2 stages")
    owner.open(content_path)
    if "state-in_review" in review_state(owner):
        current = owner.els("#review ol.stages li.current")
        approvers = current[0].find_element(By.CSS_SELECTOR, "small").text if current else ""
        stage_name = current[0].find_element(By.CSS_SELECTOR, "strong").text if current else ""
        explanation = " ".join(e.text for e in owner.els("#review p, #review .help, #review .notice, #review .alert"))
        problems.check(
            explanation and (stage_name in explanation or any(part and part in explanation for part in re.split(r"[、,，]\s*", approvers))),
            f"the owner has no approve button at stage {stage_name!r} and the review panel does not say why or who can approve "
            f"(approvers listed: {approvers!r}; sentences in the panel: {explanation!r})")
        # The members the flow names approve the remaining stages.
        for email in (DIRECTOR, REVIEWER):
            if "state-in_review" not in review_state(owner):
                break
            approver = signed_in_browser(browser_factory, server, lang, email)
            count = approve_all_you_can(approver, content_path, problems, email)
            problems.check(count, f"{email} was offered no approve button although the current stage names their role")
            approver.quit()
            owner.open(content_path)
    assert "state-approved" in review_state(owner), (
        f"after the approvals (owner approved {approved_by_owner}×) the state is {owner.text('main .page-head h1 .status')!r}; "
        f"review panel: {owner.text('#review')!r}\n" + "\n".join(problems))
    problems.check(len(owner.els("#review ol.stages li.done")) == 2, "the two stages are not both shown as done")

    # --- schedule on 公众号 and 微博 accounts
    owner.open(content_path + "#publishing")
    zone = ZoneInfo(server.api("GET", "/api/v1/settings", token=server.token())[1]["time_zone"])
    due = (dt.datetime.now(zone) + dt.timedelta(days=2)).replace(hour=10, minute=30, second=0, microsecond=0)
    chosen = []
    for label in owner.els("#publishing .schedule-form .checks label.check"):
        box = label.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
        chip = label.find_element(By.CSS_SELECTOR, ".chip").text
        if chip in (t["platform.wechat_oa.short"], t["platform.wechat_oa.name"], t["platform.weibo.short"], t["platform.weibo.name"]) \
                and box.is_enabled() and len(chosen) < 2 and chip not in [c for c, _ in chosen]:
            tick(owner, box)
            chosen.append((chip, label.text))
    assert chosen, f"no 公众号 / 微博 account can be chosen: {owner.text('#publishing')!r}"
    owner.driver.execute_script("document.getElementById('schedule-due').value = arguments[0];", due.strftime("%Y-%m-%dT%H:%M"))
    owner.submit(owner.el("#publishing .schedule-form button[type=submit]:not([name])"))
    errors = [e.text for e in owner.els("#publishing .error, #publishing .alert")]
    assert not errors, f"scheduling was refused: {errors}"
    rows = owner.els("#publishing table tbody tr")
    assert len(rows) >= len(chosen), f"the publishing section lists {len(rows)} targets for {len(chosen)} accounts"
    scheduled = t["publishing.state_scheduled"]
    problems.check(all(scheduled in row.text for row in rows), f"targets are not all {scheduled!r}: {[r.text for r in rows]}")

    # --- it is on the calendar, in the week it is due
    owner.open(f"/calendar?view=week&date={due.strftime('%Y-%m-%d')}")
    entries = owner.els(f".calendar .entry a[href='/content/{content_id}']")
    assert entries, f"the scheduled item is not on the calendar week of {due:%Y-%m-%d}"
    problems.check(due.strftime("%H:%M") in entries[0].text, f"the calendar entry does not show {due:%H:%M}: {entries[0].text!r}")
    problems.raise_if_any()


# ============================================================ J3 publishing

def target_rows(browser: Browser, view: str) -> list[dict]:
    browser.open(f"/publishing?view={view}")
    rows = []
    for row in browser.els("table.queue tbody tr"):
        links = row.find_elements(By.CSS_SELECTOR, "a[href^='/publishing/targets/']")
        if links:
            rows.append({"href": links[0].get_attribute("href"), "text": row.text,
                         "state": (row.find_elements(By.CSS_SELECTOR, ".status") or [None])[0]})
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_j3_publishing(demo_servers, browser_factory, lang):
    server = demo_servers[lang]
    t = CATALOGS[lang]
    problems = Problems()
    browser = signed_in_browser(browser_factory, server, lang)
    # The demo's plan: posts due 60–150 s after start; the Mastodon answer is held past the 30 s timeout.
    budget = max(30.0, 210.0 - server.seconds_since_start())

    # Posts publish.
    published = wait_until(lambda: len(target_rows(browser, "published")) >= 3 and target_rows(browser, "published"),
                           budget, 5, "three demo posts published")
    problems.check(all(t["publishing.state_published"] in row["text"] for row in published), "the published tab lists posts not marked published")

    # One fails, with a clear reason on its page.
    failed = wait_until(lambda: target_rows(browser, "failed"), max(30.0, 210.0 - server.seconds_since_start()), 5, "the failing demo post")
    browser.driver.get(failed[0]["href"])
    browser.check()
    reason = browser.els(".reason-box")
    assert reason, "the failed post's page shows no reason"
    reason_text = reason[0].text
    sentence = reason_text.split("\n")[0]
    known = [value for key, value in t.entries.items() if key.startswith("publishing.reason_")]
    problems.check(any(value.split("{")[0].strip() and value.split("{")[0].strip() in sentence for value in known),
                   f"the failure reason is not one of the catalog's sentences: {sentence!r}")
    problems.check(t["publishing.state_failed"] in browser.text("main h1"), "the failed post's title does not say it failed")
    if lang == "en":
        problems.check(not CJK.search(sentence.replace(browser.t["publishing.reason_label"], "")),
                       f"the failure reason on an English page is not English: {sentence!r}")

    # The post whose answer came too late went unconfirmed and was reconciled.
    def reconciled():
        for row in target_rows(browser, "today"):
            if "Mastodon" not in row["text"]:
                continue
            browser.driver.get(row["href"])
            browser.check()
            kinds = browser.text("#attempts")
            if t["publishing.state_published"] in browser.text("main h1") and t["publishing.outcome_unconfirmed"] in kinds:
                return browser.driver.current_url
        return None
    url = wait_until(reconciled, max(45.0, 240.0 - server.seconds_since_start()), 5,
                     "the Mastodon post to be unconfirmed, then reconciled and published")
    attempts = browser.els("#attempts article.attempt")
    problems.check(len(attempts) >= 2, f"the reconciled post shows {len(attempts)} attempts; expected the timed-out one and the check: {url}")

    # A manual 小红书 card is confirmed with a URL on xiaohongshu.com.
    xhs = t["platform.xiaohongshu.name"]
    manual = wait_until(lambda: [r for r in target_rows(browser, "manual") if xhs in r["text"]], 60, 5, "the manual 小红书 card")
    browser.driver.get(manual[0]["href"])
    browser.check()
    card = browser.els("#publish-card")
    assert card, f"the manual 小红书 target has no publishing card: {browser.main_text()[:500]}"
    problems.check(browser.el("#card-text").get_attribute("value"), "the card has no text to copy")
    post_url = f"https://www.xiaohongshu.com/explore/{random.randrange(16**12):012x}"
    browser.fill("#card-url", post_url)
    browser.submit(browser.el("#publish-card form[action$='/confirm'] button[type=submit]"))
    errors = [e.text for e in browser.els(".error, .alert")]
    assert not errors, f"confirming the 小红书 post with {post_url} was refused: {errors}"
    browser.driver.get(manual[0]["href"])
    browser.check()
    assert t["publishing.state_published"] in browser.text("main h1"), f"after confirming, the target is {browser.text('main h1')!r}"
    assert browser.els(f"a[href='{post_url}']"), "the confirmed post's link is not shown"
    problems.raise_if_any()


# ============================================================ J4 a director's Home

@pytest.mark.parametrize("lang", LANGS)
def test_j4_director_home(demo_servers, browser_factory, lang):
    server = demo_servers[lang]
    t = CATALOGS[lang]
    browser = signed_in_browser(browser_factory, server, lang, DIRECTOR)
    browser.open("/")
    assert browser.path == "/", f"Home is at {browser.path}"
    nav = browser.text("aside.sidebar nav")
    assert t["nav.home"] in nav, f"the navigation does not show {t['nav.home']!r}: {nav!r}"
    stats = browser.els("main .stats .stat")
    assert stats, "Home shows no figures"
    for stat in stats:
        value = stat.find_element(By.CSS_SELECTOR, ".stat-value")
        assert value.text.strip(), f"an empty figure on Home: {stat.text!r}"
    panels = [p.text.split("\n")[0] for p in browser.els("main .panel h2")]
    assert panels, "Home shows no panels"
    # The language can be switched back and forth from Home, and each page is then fully in that language.
    other = "zh" if lang == "en" else "en"
    browser.switch_language(other)
    browser.open("/")
    browser.switch_language(lang)
    assert browser.path == "/", f"switching the language from Home went to {browser.path}"


OPERATOR = "wangyutong@mediaops.local"    # 内容运营: owns the 视频号 account and imports its numbers


# ============================================================ J4/J5 the 数据 room

@pytest.mark.parametrize("lang", LANGS)
def test_j5_analytics_matrix_account_and_import(demo_servers, browser_factory, lang, tmp_path):
    """A director opens 数据 and reads the matrix and an account's curves; an
    operator imports a 视频号 export file and sees its post on the account page."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    director = signed_in_browser(browser_factory, server, lang, DIRECTOR)
    director.open("/analytics?period=90d")
    assert t["nav.analytics"] in director.text("aside.sidebar nav")
    rows = director.els("main table tbody tr")
    assert len(rows) >= 10, f"the matrix shows {len(rows)} accounts"
    assert director.els("main tfoot tr.total"), "no group roll-up row"
    assert director.els("main .trend"), "no comparison with the previous period"
    link = director.el("main table tbody th a")
    director.open(link.get_attribute("href").replace(server.base, ""))
    assert len(director.els("main svg.chart")) >= 3, "the account page draws no curves"
    assert director.els("main .kpi .kpi-value span[title]"), "figures carry no exact value on hover"
    # A post's title is the team's own words (the demo writes them in Chinese), not interface.
    # A post with snapshots (one the demo publishes live may not have its first yet).
    measured = [row for row in director.els("main table tbody tr")
                if row.find_elements(By.CSS_SELECTOR, "th a") and row.find_elements(By.CSS_SELECTOR, "td")[-1].text.strip() not in ("", "0")]
    assert measured, "no post on the account page has snapshots"
    post_href = measured[0].find_element(By.CSS_SELECTOR, "th a").get_attribute("href")
    director.open(post_href.replace(server.base, ""), english_title=False)
    assert director.els("main svg.chart"), "a post's page draws no curve over its snapshots"

    operator = signed_in_browser(browser_factory, server, lang, OPERATOR)
    operator.open("/analytics/imports")
    title = f"浏览器导入{tag()}"
    export = tmp_path / "视频号动态数据明细.csv"
    export.write_bytes(b"\xef\xbb\xbf" + (
        "视频描述,视频ID,发布时间,完播率,平均播放时长,播放量,推荐,喜欢,评论量,分享量,关注量\n"
        f"{title},export/UzFfBgAA{tag()},2026/11/07,4.41%,14.73秒,\"3,593\",12,40,5,7,3\n").encode())
    account = operator.el("#account_id")
    value = next(o.get_attribute("value") for o in account.find_elements(By.TAG_NAME, "option") if o.text.startswith("青禾茶饮视频号"))
    operator.select("#account_id", value)
    operator.driver.find_element(By.CSS_SELECTOR, "#file").send_keys(str(export))
    # The import's page is titled with the file's name: the user's words, not interface.
    operator.submit(operator.el("main form[enctype] button[type=submit]"), english_title=False)
    assert "/analytics/imports/imp_" in operator.path, f"the upload went to {operator.path}"
    assert t.prefix("analytics.import.recognised") in operator.main_text()
    operator.submit(operator.el("main form[action$='/commit'] button"), english_title=False)
    assert t["flash.import_committed"] in operator.flash()
    operator.open(operator.el("main .page-actions a.button").get_attribute("href").replace(server.base, ""))
    assert title in operator.main_text(), "the imported post is not on the account page"


@pytest.mark.parametrize("lang", LANGS)
def test_j5_significance_calculator(demo_servers, browser_factory, lang):
    """From the matrix overview a director opens the significance calculator,
    pastes two columns of engagement rates, is told beside the box what is not
    a number, and then reads in plain words whether the two groups differ."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    director = signed_in_browser(browser_factory, server, lang, DIRECTOR)
    director.open("/analytics")
    link = director.el("main .page-actions a[href$='/analytics/significance']")
    director.open(link.get_attribute("href").replace(server.base, ""))
    assert t["analytics.significance.title"] in director.text("main h1")
    director.fill("#a", "6.1%\n7.2%\nabc")
    director.fill("#b", "5.2%\n4.9%\n6.0%")
    director.submit(director.el("main form.significance-form button[type=submit]"))
    errors = [e.text for e in director.els("main .field.has-error .error")]
    assert len(errors) == 1 and t["field.a"] in errors[0] and "abc" in errors[0], f"the error beside group A: {errors}"
    assert "abc" in director.el("#a").get_attribute("value"), "what was typed is gone"
    director.fill("#a", "6.1%\n7.2%\n5.8%\n8.0%\n6.9%\n7.5%\n6.6%\n7.1%")
    director.fill("#b", "5.2%\n4.9%\n6.0%\n5.5%\n4.7%\n5.8%\n5.1%\n5.4%")
    director.submit(director.el("main form.significance-form button[type=submit]"))
    verdict = director.text("main .verdict")
    assert t["analytics.significance.status_significant"] in verdict, verdict
    assert t["analytics.significance.default_a"] in verdict and "p < 0.001" in verdict and "n = 8 / 8" in verdict, verdict
    assert "6.9%" in director.text("main .significance-result table"), "the mean of the rates pasted as percentages"


ANALYST = "wujia@mediaops.local"    # 数据分析


@pytest.mark.parametrize("lang", LANGS)
def test_j5_alert_rule_preview_and_alert(demo_servers, browser_factory, lang):
    """An analyst sets up an alert rule, sees on the past 90 days that it
    would have fired on the official 微博's burst of lost fans, saves it, and
    acknowledges the open alert from the alert list."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    analyst = signed_in_browser(browser_factory, server, lang, ANALYST)
    analyst.open("/analytics/alert-rules")
    assert t["analytics.alert_rules.title"] in analyst.text("main h1")
    analyst.open(analyst.el("main .page-actions a[href$='/analytics/alert-rules/new']").get_attribute("href").replace(server.base, ""))
    name = f"掉粉预警{tag()}"
    analyst.fill("#name", name)
    analyst.fill("#bound", "-500")
    analyst.submit(analyst.el("main form button[value=preview]"))
    preview = analyst.text("main section.preview")
    assert "青禾茶饮官方微博" in preview and "-500" in preview, preview
    analyst.submit(analyst.el("main form button[value=save]"))
    assert t["flash.alert_rule_created"] in analyst.flash()
    assert name in analyst.text("main table")
    analyst.open("/analytics/alerts")
    open_rows = [row for row in analyst.els("main table tbody tr") if row.find_elements(By.CSS_SELECTOR, "button")]
    assert open_rows, "the demo has no alert to handle"
    acknowledge = next((b for row in open_rows for b in row.find_elements(By.CSS_SELECTOR, "button")
                        if b.text.strip() == t["analytics.alerts.action_acknowledge"]), None)
    assert acknowledge is not None, "no open alert offers acknowledging"
    analyst.submit(acknowledge)
    assert t["flash.alert_acknowledged"] in analyst.flash()


@pytest.mark.parametrize("lang", LANGS)
def test_j5_competitor_added_entered_and_benchmarked(demo_servers, browser_factory, lang):
    """An analyst starts following a competitor on 微博, enters a day of its
    public numbers (a word typed for a number is named beside its box first,
    and what was typed stays), and finds it on the benchmark page beside the
    workspace's own 微博 account and the demo's competitors."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    analyst = signed_in_browser(browser_factory, server, lang, ANALYST)
    status, body = server.api("GET", "/api/v1/analytics/competitors", token=server.token())
    assert status == 200 and len(body["items"]) >= 3, f"the demo follows {body}"
    analyst.data_strings |= {value for item in body["items"] for value in (item["name"], item["group"], item["notes"]) if CJK.search(value or "")}
    name = f"茶友会{tag()}"
    analyst.data_strings |= {name, "同城茶饮"}
    analyst.open("/analytics/competitors?period=30d")
    assert t["competitors.title"] in analyst.text("main h1")
    assert "山岚茶事" in analyst.text("main table"), "the demo's competitors are not on the benchmark"
    analyst.open(analyst.el("main .page-actions a[href*='/analytics/competitors/new']").get_attribute("href").replace(server.base, ""))
    analyst.select("#platform", "weibo")
    analyst.fill("#name", name)
    analyst.fill("#handle", f"chayouhui_{tag()}")
    analyst.fill("#url", "https://weibo.com/chayouhui")
    analyst.fill("#group", "同城茶饮")
    analyst.submit(analyst.el("main form button[type=submit]"), english_title=False)
    assert t["flash.competitor_created"] in analyst.flash()
    assert name in analyst.text("main h1")
    assert analyst.el("main .page-head a[target=_blank]").get_attribute("rel") == "noopener noreferrer nofollow"

    analyst.fill("#followers", "很多")
    analyst.fill("#posts", "2")
    analyst.submit(analyst.el("#day-form button[type=submit]"), english_title=False)
    errors = [e.text for e in analyst.els("#day-form .field.has-error .error")]
    assert len(errors) == 1 and t["field.followers"] in errors[0], f"the error beside the followers box: {errors}"
    assert analyst.el("#posts").get_attribute("value") == "2", "what was typed is gone"
    analyst.fill("#followers", "9.8万")
    analyst.fill("#avg_likes", "120")
    analyst.fill("#avg_comments", "18")
    analyst.submit(analyst.el("#day-form button[type=submit]"), english_title=False)
    assert t["flash.competitor_day_saved"] in analyst.flash()
    shown = "9.8万" if lang == "zh" else "98K"
    assert shown in analyst.text("main #days table"), "the day is not listed"

    analyst.open("/analytics/competitors?period=30d")
    row = next((r for r in analyst.els("main table tbody tr") if name in r.text), None)
    assert row is not None, "the new competitor is not on the benchmark"
    assert shown in row.text and "138" in row.text and t["competitors.side_competitor"] in row.text, row.text
    assert "青禾茶饮官方微博" in analyst.text("main table"), "the own 微博 account is not beside it"
    assert name in analyst.text("main .chart-legend"), "the charts do not draw the new competitor"


# ============================================================ 规划: from a goal to the hiring plan

def planning_data(server: Server) -> set[str]:
    """Goals' names, stages and notes and plan versions' names: data, which may be Chinese on an English page."""
    token = server.token()
    found: set[str] = set()
    status, body = server.api("GET", "/api/v1/goals", token=token)
    if status == 200:
        for goal in body["items"]:
            found |= {goal["name"], goal["notes"]} | {stage["name"] for stage in goal["stages"]}
            status, versions = server.api("GET", f"/api/v1/goals/{goal['id']}/plans", token=token)
            if status == 200:
                found |= {version["name"] for version in versions["items"]}
    return {value for value in found if value and CJK.search(value)}


def body_goals(server: Server) -> list[dict]:
    status, body = server.api("GET", "/api/v1/goals", token=server.token())
    assert status == 200, body
    return body["items"]


@pytest.mark.parametrize("lang", LANGS)
def test_j6_director_plans_the_team_from_a_goal(demo_servers, browser_factory, lang):
    """The director enters the source material's goal (a service account, 5万
    followers in six months, two stages): a stage whose months do not add up
    is named beside the stages first, and what was typed stays. The planner
    then proposes 1+1+2+1+1 with a reason on every line and the channel manager
    in the brand-promotion stage; a changed assumption recomputes the plan; the
    plan is saved and the hiring plan HR is handed lists every role with its
    join-by month and profile, printable and exportable."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    problems = Problems()
    director = signed_in_browser(browser_factory, server, lang, DIRECTOR)
    director.data_strings |= planning_data(server) | {"初始用户期", "品牌推广期"}
    name = f"服务号半年 5 万粉丝 {tag()}"
    director.data_strings.add(name)

    # The demo's goal is on Home with its status, and on the goals page.
    director.open("/")
    problems.check(t["home.goals_title"] in director.main_text(), "Home shows no goal card")
    director.open("/team/goals")
    problems.check("服务号半年涨粉 5 万" in director.text("main table"), "the demo's goal is not listed")

    # The demo's service account already has more than 5 万 followers: the goal is 5 万 more than it has now,
    # 1.5 万 of them in the initial-users stage (the account's followers are the baseline of a goal starting next month).
    demo_goal = next(goal for goal in body_goals(server) if goal["account_ids"])
    baseline = int(demo_goal["progress"]["current"])
    director.open("/team/goals/new")
    director.fill("#name", name)
    director.select("#metric", "followers")
    director.fill("#target", str(baseline + 50_000))
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    year, month = first.year + (first.month + 5) // 12, (first.month + 5) % 12 + 1
    deadline = dt.date(year, month, 1) - dt.timedelta(days=1)
    director.fill("#start", first.isoformat())
    director.fill("#deadline", deadline.isoformat())
    tick(director, checkbox_by_label(director, "main form", "青禾茶饮服务号"))
    director.fill("#stage_name_0", "初始用户期")
    director.fill("#stage_months_0", "3")
    director.fill("#stage_target_0", f"{baseline + 15_000:,}")
    director.fill("#stage_name_1", "品牌推广期")
    director.fill("#stage_months_1", "2")
    director.fill("#stage_target_1", str(baseline + 50_000))
    director.submit(director.el("main form button[type=submit]"), english_title=False)
    errors = [e.text for e in director.els("main form fieldset.has-error .error")]
    assert errors and "5" in errors[0] and "6" in errors[0], f"the stages' months are not named: {errors}"
    assert director.el("#stage_target_0").get_attribute("value") == f"{baseline + 15_000:,}", "what was typed is gone"
    director.fill("#stage_months_1", "3")
    director.submit(director.el("main form button[type=submit]"), english_title=False)
    assert t["flash.goal_created"] in director.flash(), director.main_text()[:400]
    assert name in director.text("main h1")
    problems.check(director.els("main figure.chart-block svg"), "the goal page draws no chart")

    director.open(director.el("main .page-actions a.primary").get_attribute("href").replace(server.base, ""), english_title=False)
    roles = {row.find_element(By.CSS_SELECTOR, "th").text: row for row in director.els("main table.plan-roles tbody tr")}
    peaks = {role: row.find_elements(By.CSS_SELECTOR, "td.num strong")[0].text for role, row in roles.items()}
    expected = {t["position_title.manager"]: "1", t["position_title.copywriter"]: "1", t["position_title.community"]: "2",
                t["position_title.channel"]: "1", t["position_title.pr"]: "1"}
    assert peaks == expected, f"the plan proposes {peaks}"
    channel = roles[t["position_title.channel"]]
    assert "品牌推广期" in channel.text, f"the channel manager does not join in the brand-promotion stage: {channel.text}"
    operators = roles[t["position_title.community"]].text
    problems.check(("2 人" in operators) if lang == "zh" else (": 2 —" in operators), f"the operators' reason: {operators}")
    assert t.text("planner.headcount", count="6") in director.main_text()

    # An assumption changed: one deal a month per channel manager needs more of them.
    director.fill("#p_deals_per_channel_month", "1")
    director.submit(director.el("main form.planner-parameters button[type=submit]"), english_title=False)
    roles = {row.find_element(By.CSS_SELECTOR, "th").text: row for row in director.els("main table.plan-roles tbody tr")}
    changed = roles[t["position_title.channel"]].find_elements(By.CSS_SELECTOR, "td.num strong")[0].text
    assert int(changed) > 1, f"fewer deals a month did not add channel managers: {changed}"
    director.fill("#p_deals_per_channel_month", "")
    director.submit(director.el("main form.planner-parameters button[type=submit]"), english_title=False)

    version = f"{t['planner.kind_plan']} {tag()}"
    director.data_strings.add(version)
    director.fill("#plan-name", version)
    director.submit(director.el("main form[action$='/plans'] button[type=submit]"), english_title=False)
    assert t["flash.plan_saved"] in director.flash()
    director.open(director.el("main .page-actions a.primary").get_attribute("href").replace(server.base, ""))
    assert t["hiring.title"] in director.text("main h1")
    sheet = director.text("main .hiring-sheet")
    for role in expected:
        assert role in sheet, f"{role} is missing from the hiring plan"
    assert t["positions.duties"] in sheet and t["positions.requirements"] in sheet
    problems.check(director.el("main a[href*='export.xlsx']") is not None, "no Excel export")
    status, body = server.api("GET", "/api/v1/goals", token=server.token())
    mine = next(goal for goal in body["items"] if goal["name"] == name)
    status, _ = server.api("DELETE", f"/api/v1/goals/{mine['id']}", token=server.token())
    problems.check(status == 204, "the goal made by the journey could not be removed")
    problems.raise_if_any()


# ============================================================ KPIs, scorecards, reviews

COPYWRITER = "liuyang@mediaops.local"    # 文案策划, reports to 陈静


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_scorecards_evidence_and_self_assessment(demo_servers, browser_factory, lang):
    """The director opens this month's scorecards, opens a member's, follows a
    KPI to the numbers behind it, and finds last month's scorecard frozen by
    its finalized review; a copywriter writes this month's self-assessment
    (an empty one is refused beside the box first)."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    problems = Problems()
    director = signed_in_browser(browser_factory, server, lang, DIRECTOR)
    director.open("/team/scorecards")
    assert t["scorecards.title"] in director.text("main h1")
    rows = director.els("main table tbody tr")
    problems.check(len(rows) >= 10, f"the director sees the team's scorecards: {len(rows)} rows")
    row = next((r for r in rows if "王雨桐" in r.text), None)
    assert row is not None, "王雨桐's scorecard is not listed"
    director.open(row.find_element(By.CSS_SELECTOR, "a").get_attribute("href").replace(server.base, ""))
    assert "王雨桐" in director.text("main h1")
    assert t["kpis.source.post_reads.name"] in director.text("main table")
    problems.check(t["kpis.source.tasks_on_time.name"] in director.text("main table"), "the scorecard has the tasks-on-time line")
    evidence = director.el("main table tbody tr td:last-child a")
    director.open(evidence.get_attribute("href").replace(server.base, ""))
    assert "王雨桐" in director.text("main h1")
    problems.check(t["scorecards.back_to_scorecard"] in director.text("main .crumbs"), "the numbers page leads back to the scorecard")
    # Last month's review was finalized: its scorecard is frozen.
    last = (dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    director.open(director.el("main .crumbs a").get_attribute("href").replace(server.base, "").split("?")[0] + f"?period={last}")
    frozen_prefix = t["scorecards.frozen"].split("{")[0].strip()
    problems.check(frozen_prefix in director.text("main .page-head"), "last month's scorecard says it is frozen")

    writer = signed_in_browser(browser_factory, server, lang, COPYWRITER)
    writer.open("/team/reviews")
    assert t["reviews.title"] in writer.text("main h1")
    mine = next((r for r in writer.els("main table tbody tr") if "刘洋" in r.text), None)
    assert mine is not None, "the copywriter's own review is not listed"
    writer.open(mine.find_element(By.CSS_SELECTOR, "a").get_attribute("href").replace(server.base, ""))
    writer.fill("#self_assessment", " ")
    writer.submit(writer.el("#self button[type=submit]"), english_title=False)
    errors = [e.text for e in writer.els("#self .field.has-error .error")]
    problems.check(len(errors) == 1, f"the empty self-assessment is refused beside its box: {errors}")
    words = "本月交稿十二篇，新品文案一次通过。" if lang == "zh" else "Twelve pieces delivered this month; the launch copy passed first time."
    writer.data_strings |= {words}
    writer.fill("#self_assessment", words)
    writer.submit(writer.el("#self button[type=submit]"), english_title=False)
    assert t["flash.review_self_saved"] in writer.flash()
    assert words in writer.text("#self")
    assert t["reviews.state.self_assessed"] in writer.text("main .page-head")
    problems.raise_if_any()


# ============================================================ Work: a task from the board to done

@pytest.mark.parametrize("lang", LANGS)
def test_work_task_from_board_to_done(demo_servers, browser_factory, lang):
    """The manager opens the board (the demo's tasks are on it, some overdue),
    creates a task from it for 王雨桐 with a checklist, comments with an
    @mention — 王雨桐 is told — and moves the task to done with the card's
    form; it then sits in the board's done column."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    problems = Problems()
    manager = signed_in_browser(browser_factory, server, lang, REVIEWER)
    title = f"门店海报复核{tag()}"
    manager.data_strings |= {title, "复核尺寸", "核对价格", "海报"}
    manager.open("/tasks/board")
    assert t["tasks.board_title"] in manager.text("main h1")
    board = manager.text("main .task-board")
    problems.check("春季新品推文终稿" in board, "the demo's tasks are not on the board")
    problems.check(t["tasks.overdue_badge"] in board, "no overdue task is flagged on the demo board")

    manager.el("main .page-actions a[href='/tasks/new']").click()
    manager.check()
    manager.fill("#title", title)
    select_by_label(manager, "#assignee_id", "王雨桐")
    manager.select("#priority", "high")
    manager.fill("#labels", "海报")
    manager.fill("#checklist", "复核尺寸\n核对价格")
    manager.submit(manager.el("main form.form button[type=submit]"), english_title=False)
    assert t["flash.task_created"] in manager.flash()
    assert title in manager.text("main h1")
    task_path = manager.driver.current_url.replace(server.base, "").split("#")[0]
    problems.check("王雨桐" in manager.text("main .task-facts"), "the assignee is not shown")
    problems.check(t.text("tasks.checklist_progress", done=0, total=2) in manager.text("main #checklist"), "the checklist is not shown")

    manager.fill("#comment-body", "@王雨桐 尺寸按新规范，改完告诉我")
    manager.submit(manager.el("#comments button[type=submit]"), english_title=False)
    assert t["flash.task_commented"] in manager.flash()
    problems.check("尺寸按新规范" in manager.text("main #comments"), "the comment is not listed")
    status, body = server.api("GET", "/api/v1/members?per_page=100", token=server.token())
    wang = next(m for m in body["items"] if m["name"] == "王雨桐")
    status, notes = server.api("GET", "/api/v1/notifications", token=server.token(wang["email"]))
    problems.check(status == 200 and any(n["kind"] == "task_mention" and n["title"] == title for n in notes.get("items", [])),
                   f"王雨桐 was not told of the mention: {notes}")

    manager.open("/tasks/board?assignee=" + wang["id"])
    card = next((c for c in manager.els("main .task-card") if title in c.text), None)
    assert card is not None, "the new task is not on the board"
    card_id = card.get_attribute("data-task")
    manager.select(f"#move-{card_id}", "done")
    manager.submit(card.find_element(By.CSS_SELECTOR, "form.task-move button[type=submit]"), english_title=False)
    assert t["flash.task_moved"] in manager.flash()
    done_column = manager.text("main .task-column[data-status='done']")
    problems.check(title in done_column, "the task is not in the done column after the move")
    manager.open(task_path)
    problems.check(t["tasks.status_done"] in manager.text("main .page-head"), "the task page does not say done")
    problems.check(title in manager.text("main .history"), "the history does not list the task's changes")
    problems.raise_if_any()
# ============================================================ Work: the knowledge base

COPYWRITER = "liuyang@mediaops.local"    # 文案策划: writes copy and keeps the team's lessons


@pytest.mark.parametrize("lang", LANGS)
def test_knowledge_lesson_written_found_and_linked(demo_servers, browser_factory, lang):
    """A copywriter writes down a lesson (a missing title is named beside its
    box first, and the text typed stays), finds it again by a two-character
    Chinese word among the demo's entries, and links it from a content item's
    page (相关经验), where it is then listed."""
    server = demo_servers[lang]
    t = CATALOGS[lang]
    writer = signed_in_browser(browser_factory, server, lang, COPYWRITER)
    status, body = server.api("GET", "/api/v1/knowledge?per_page=100", token=server.token())
    assert status == 200 and body["total"] >= 48, f"the demo's knowledge base: {body.get('total')}"
    writer.data_strings |= {value for item in body["items"] for value in [item["title"], *item["tags"]]}
    marker = tag()
    title = f"直播间弹幕抽奖要提前预告{marker}"
    writer.data_strings |= {title, "直播", "弹幕"}

    writer.open("/knowledge")
    assert t["knowledge.title"] in writer.text("main h1")
    writer.open(writer.el("main .page-actions a[href='/knowledge/new']").get_attribute("href").replace(server.base, ""))
    writer.select("#kind", "lesson")
    writer.fill("#body", f"上周直播临时加了弹幕抽奖，没人提前知道，参与只有三十几人。{marker}\n\n下次开播前一天在社群和微博预告。")
    writer.fill("#tags", "直播，抽奖")
    writer.submit(writer.el("main form.form button[type=submit]"))
    errors = [e.text for e in writer.els("main .field.has-error .error")]
    assert len(errors) == 1 and t["field.title"] in errors[0], f"the error beside the title: {errors}"
    assert marker in writer.el("#body").get_attribute("value"), "the text typed is gone"
    writer.fill("#title", title)
    writer.submit(writer.el("main form.form button[type=submit]"), english_title=False)
    assert t["flash.knowledge_created"] in writer.flash()
    assert title in writer.text("main h1")
    assert "#直播" in writer.text("main")

    # Found by a two-character Chinese word, among the demo's entries.
    writer.open("/knowledge")
    writer.fill("#q", "弹幕")
    writer.submit(writer.el("main form.filters button[type=submit]"))
    assert title in writer.text("main .cards"), "the lesson is not found by 弹幕"

    # From a content item: find the lesson and link it; the item lists it under 相关经验.
    status, items = server.api("GET", "/api/v1/content?per_page=5", token=server.token())
    item = items["items"][0]
    writer.data_strings |= {item["title"]}
    writer.open(f"/content/{item['id']}", english_title=False)
    section = writer.el("#related-knowledge")
    assert t["knowledge.related_title"] in section.text
    find = section.find_element(By.CSS_SELECTOR, "a[href*='link_kind=content']").get_attribute("href").replace(server.base, "")
    writer.open(find)
    assert item["title"] in writer.text("main .knowledge-linking")
    writer.fill("#q", "弹幕")
    writer.submit(writer.el("main form.filters button[type=submit]"))
    card = next((c for c in writer.els("main .knowledge-card") if title in c.text), None)
    assert card is not None, "the lesson is not offered for linking"
    writer.submit(card.find_element(By.CSS_SELECTOR, "form button[type=submit]"), english_title=False)
    assert writer.path.startswith(f"/content/{item['id']}"), writer.path
    assert t["flash.knowledge_linked"] in writer.flash()
    assert title in writer.text("#related-knowledge"), "the content page does not list the linked lesson"
