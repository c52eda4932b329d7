"""Fixtures for the browser journeys: real `mediaops serve` processes and a
headless Chromium driven by chromedriver (both from Debian's packages).

MEDIAOPS_BIN points at the binary (default .build/debug/mediaops). Every page a
journey visits goes through `Browser.check()`, which fails on a 5xx answer, the
error page, a raw catalog key in the visible text, or Chinese in the interface
chrome of an English page.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mediaops_server import DEMO_EMAIL, DEMO_PASSWORD, REPO, Server, binary  # noqa: E402

WAIT = float(os.environ.get("MEDIAOPS_BROWSER_WAIT", "30"))
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")


# ---------------------------------------------------------------- catalogs

def _locale_dir() -> Path:
    """The catalogs the binary serves (its resource bundle), else the sources."""
    bundled = binary().parent / "MediaOps_MediaOpsWeb.resources" / "Resources" / "locales"
    return bundled if bundled.is_dir() else REPO / "Sources" / "MediaOpsWeb" / "Resources" / "locales"


def _flatten(prefix: str, value, out: dict) -> dict:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value
    return out


class Catalog:
    def __init__(self, lang: str):
        name = "en.json" if lang == "en" else "zh-Hans.json"
        # One catalog per room (locales/<room>/<language>.json), merged as the server merges them.
        self.entries = {}
        for room in sorted(p for p in _locale_dir().iterdir() if p.is_dir()):
            _flatten("", json.loads((room / name).read_text()), self.entries)

    def __getitem__(self, key: str) -> str:
        return self.entries[key]

    def text(self, key: str, **params) -> str:
        value = self.entries[key]
        for name, replacement in params.items():
            value = value.replace("{" + name + "}", str(replacement))
        return value

    def prefix(self, key: str) -> str:
        """The fixed text of an entry before its first placeholder."""
        return self.entries[key].split("{", 1)[0].strip()


CATALOGS = {"zh": Catalog("zh"), "en": Catalog("en")}
SECTIONS = sorted({key.split(".", 1)[0] for c in CATALOGS.values() for key in c.entries})
# A catalog key shown as text, e.g. "content.submit_review" or "error.not_found".
RAW_KEY = re.compile(r"(?<![\w@/.-])(?:" + "|".join(map(re.escape, SECTIONS)) + r")\.[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?![\w-])")
# Platform names in Chinese are allowed on English pages (and the language switch).
ALLOWED_CJK = {"简体中文", "中文"}
for entry_key, value in CATALOGS["zh"].entries.items():
    if entry_key.startswith("platform."):
        ALLOWED_CJK.update(CJK.findall(value))


# ---------------------------------------------------------------- browser

def _chrome_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium with the page checks the journeys rely on."""

    def __init__(self, lang: str, base: str, tmp: Path):
        self.lang = lang
        self.base = base
        self.t = CATALOGS[lang]
        options = webdriver.ChromeOptions()
        chrome = _chrome_binary()
        if chrome:
            options.binary_location = chrome
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1366,1000", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp / 'chrome-profile'}"):
            options.add_argument(arg)
        accept = "en-US,en" if lang == "en" else "zh-CN,zh"
        options.add_argument("--lang=" + ("en-US" if lang == "en" else "zh-CN"))
        options.add_experimental_option("prefs", {"intl.accept_languages": accept})
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        self.driver.set_page_load_timeout(60)
        self.visited: list[str] = []
        self.data_strings: set[str] = set()
        self.closed = False

    def quit(self):
        self.closed = True
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - teardown must not hide the test's own failure
            pass

    # --- navigation
    def open(self, path: str, **check):
        self.driver.get(self.base + path)
        return self.check(**check)

    def wait(self, timeout: float = WAIT) -> WebDriverWait:
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))

    def el(self, css: str, timeout: float = WAIT):
        return self.wait(timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def els(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str, timeout: float = WAIT):
        return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def submit(self, button, **check):
        """Clicks a submit button and waits for the next document to load."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        # Forms that ask for confirmation use window.confirm: accept it. The marker tells the
        # old document from the next one (a new document has no marker).
        self.driver.execute_script("window.confirm = function () { return true; }; window.__mediaopsMarker = 1;")
        button.click()

        def navigated(driver):
            try:
                return driver.execute_script("return window.__mediaopsMarker !== 1 && document.readyState === 'complete';")
            except WebDriverException:  # the old document is going away mid-call
                return False

        self.wait().until(navigated)
        return self.check(**check)

    def fill(self, css: str, value: str, scope=None):
        field = (scope or self.driver).find_element(By.CSS_SELECTOR, css)
        field.clear()
        if value:
            # send_keys of CJK text is unreliable through chromedriver; set the value as a person's paste would.
            self.driver.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", field, value)
        return field

    def select(self, css: str, value: str, scope=None):
        from selenium.webdriver.support.ui import Select
        Select((scope or self.driver).find_element(By.CSS_SELECTOR, css)).select_by_value(value)

    def text(self, css: str = "body") -> str:
        return self.el(css).text

    @property
    def path(self) -> str:
        url = self.driver.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def sign_in(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD, expect: str | None = None):
        if "/login" not in self.path:
            self.open("/login")
        self.fill("#email", email)
        self.fill("#password", password)
        self.submit(self.el("form[action='/login'] button[type=submit]"))
        assert "/login" not in self.path, f"sign-in as {email} failed: {self.main_text()[:500]}"
        if expect:
            assert self.path.startswith(expect), f"after sign-in expected {expect}, at {self.path}"

    def switch_language(self, lang: str):
        """Uses the language switch in the top bar (POST /lang), as a person would."""
        locale = "en" if lang == "en" else "zh-Hans"
        button = self.el(f"form[action='/lang'] input[name=locale][value='{locale}']").find_element(
            By.XPATH, "./ancestor::form//button")
        self.lang = lang
        self.t = CATALOGS[lang]
        self.submit(button)

    def main_text(self) -> str:
        found = self.els("main")
        return (found[0] if found else self.driver.find_element(By.TAG_NAME, "body")).text

    def flash(self) -> str:
        return " ".join(e.text for e in self.els(".flash, .notice, [role=status], .alert"))

    # --- the checks every page goes through
    def document_statuses(self) -> list[tuple[str, int]]:
        """Statuses of the documents loaded since the last call (from Chrome's network log)."""
        statuses = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.responseReceived":
                continue
            params = message["params"]
            if params.get("type") == "Document":
                statuses.append((params["response"]["url"], int(params["response"]["status"])))
        return statuses

    def check(self, allow_error_page: bool = False, english_title: bool = True) -> "Browser":
        def loaded(driver):
            try:
                return driver.execute_script("return document.readyState") == "complete"
            except WebDriverException:
                return False
        self.wait().until(loaded)
        where = self.path
        self.visited.append(where)
        for url, status in self.document_statuses():
            assert status < 500, f"{url} answered HTTP {status}:\n{self.main_text()[:800]}"
        title = self.driver.title
        codes = self.els(".error-page .error-code")
        if codes:
            code = codes[0].text.strip()
            assert not code.startswith("5"), f"{where}: error page {code} ({title}): {self.main_text()[:800]}"
            assert allow_error_page, f"{where}: unexpected error page {code} ({title}): {self.main_text()[:800]}"
        body = self.driver.find_element(By.TAG_NAME, "body").text
        shown = body + "\n" + "\n".join(self.driver.execute_script(
            "return Array.from(document.querySelectorAll('[placeholder],[title],[aria-label],input[type=submit],option'))"
            ".map(e => [e.getAttribute('placeholder'), e.getAttribute('title'), e.getAttribute('aria-label'),"
            " e.tagName === 'OPTION' ? e.textContent : e.value].filter(Boolean).join(' '));") or [])
        raw = sorted(set(RAW_KEY.findall(shown + "\n" + title)))
        assert not raw, f"{where}: raw catalog keys shown: {raw}"
        html_lang = self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""
        if self.lang == "en":
            assert html_lang.startswith("en"), f"{where}: <html lang={html_lang!r}> on an English page"
            self._assert_english_chrome(where, english_title)
        else:
            assert html_lang.startswith("zh"), f"{where}: <html lang={html_lang!r}> on a Chinese page"
            nav = self.els("aside.sidebar nav")
            if nav:
                assert CJK.search(nav[0].text), f"{where}: the navigation of a Chinese page is not Chinese: {nav[0].text!r}"
        return self

    def _assert_english_chrome(self, where: str, english_title: bool):
        """The interface (navigation, headings, labels, buttons, table heads) is English;
        demo data (names, titles, group names) and platform names may stay Chinese."""
        pieces = self.driver.execute_script("""
            const out = [];
            const take = (sel, kind) => document.querySelectorAll(sel).forEach(e => {
              if (e.closest('[lang]:not(html)') || e.closest('.check') || e.closest('.chip') || e.closest('.data')) return;
              const clone = e.cloneNode(true);
              // Leave out what is data inside the interface element: links to records, chips, selects, inputs.
              clone.querySelectorAll('a[href*="_"], .chip, select, input, textarea, .muted, small, q, .avatar').forEach(x => x.remove());
              const text = (clone.innerText || clone.textContent || '').trim();
              if (text) out.push([kind, text]);
            });
            take('aside.sidebar nav a', 'nav');
            take('.topbar a, .topbar .search label', 'top bar');
            take('th', 'table head');
            take('label[for]', 'label');
            take('legend', 'legend');
            take('button', 'button');
            take('h2', 'heading');
            take('.page-head .context', 'context');
            take('.tabs a', 'tab');
            take('.empty', 'empty state');
            return out;""")
        if english_title:
            heading = self.els("main h1")
            if heading:
                pieces.append(["title", self.driver.execute_script(
                    "const c = arguments[0].cloneNode(true); c.querySelectorAll('.chip').forEach(x => x.remove());"
                    " return c.textContent.trim();", heading[0])])
        bad = []
        for kind, text in pieces:
            runs = [run for run in CJK.findall(text) if run not in ALLOWED_CJK and run.strip("（）：，。 ")]
            if runs and not self.is_data(text):
                bad.append(f"{kind}: {text!r}")
        assert not bad, f"{where}: Chinese in the interface of an English page:\n  " + "\n  ".join(bad[:15])

    def is_data(self, text: str) -> bool:
        """Whether Chinese in an interface element comes from names the test or the demo typed."""
        remaining = text
        for value in sorted(self.data_strings, key=len, reverse=True):
            remaining = remaining.replace(value, "")
        return not [run for run in CJK.findall(remaining) if run not in ALLOWED_CJK and run.strip("（）：，。 ")]


def data_strings(server: Server) -> set[str]:
    """Names and titles stored in the workspace (demo data, or what a test typed):
    they may be Chinese on an English page."""
    token = server.token()
    found: set[str] = set()
    for path, fields in (("/api/v1/members?per_page=100", ("name",)), ("/api/v1/accounts?per_page=100", ("name", "handle")),
                         ("/api/v1/account-groups", ("name", "description")), ("/api/v1/topics?per_page=100", ("title", "notes")),
                         ("/api/v1/content?per_page=100", ("title", "summary")), ("/api/v1/assets?per_page=100", ("name", "title")),
                         ("/api/v1/notification-channels", ("name",))):
        status, body = server.api("GET", path, token=token)
        if status == 200 and isinstance(body, dict):
            for item in body.get("items", []):
                found.update(str(item[f]) for f in fields if item.get(f))
    # Tasks: titles and labels the demo or a test typed.
    for path in ("/api/v1/tasks?per_page=200", "/api/v1/task-recurrences"):
        status, body = server.api("GET", path, token=token)
        if status == 200 and isinstance(body, dict):
            for item in body.get("items", []):
                found.update(str(item[f]) for f in ("title", "description") if item.get(f))
                found.update(str(label) for label in item.get("labels", []))
    status, body = server.api("GET", "/api/v1/settings", token=token)
    if status == 200:
        found.add(body["name"])
    status, body = server.api("GET", "/api/v1/review-flows", token=token)
    if status == 200 and isinstance(body, dict):
        for flow in body.get("items", []):
            found.update(stage.get("name", "") for stage in flow.get("stages", []))
    server.api("DELETE", "/api/v1/session", token=token)
    return {value for value in found if value and CJK.search(value)}


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def demo_servers():
    """One demo server per language, both started at once so that the demo's
    publishing plan (due 1–2.5 minutes after start) runs while the other journeys do."""
    servers: dict[str, Server] = {}
    try:
        for lang in ("zh", "en"):
            servers[lang] = Server(demo=True, name=f"demo-{lang}").start()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def fresh_server():
    """A server without --demo on an empty database (first run)."""
    server = Server(demo=False, name="first-run").start()
    yield server
    server.stop()


@pytest.fixture
def browser_factory(tmp_path, request):
    made: list[Browser] = []

    def make(lang: str, base: str) -> Browser:
        browser = Browser(lang, base, tmp_path / f"b{len(made)}")
        made.append(browser)
        return browser

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for browser in made:
        if failed and not browser.closed:
            shot = tmp_path / f"failure-{made.index(browser)}.png"
            try:
                browser.driver.save_screenshot(str(shot))
                print(f"screenshot of the failing page: {shot} (at {browser.path})")
            except Exception:  # noqa: BLE001
                pass
        browser.quit()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def wait_until(predicate, timeout: float, interval: float = 2.0, message: str = "condition"):
    """Polls `predicate` until it returns something truthy (for server-side progress, not page loads)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutException(f"timed out after {timeout:.0f}s waiting for {message}; last: {last!r}")
