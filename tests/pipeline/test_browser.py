"""The report and the evidence browser in a real headless Chromium (Debian's `chromium` and
`chromium-driver`, driven by Selenium; nothing is downloaded). Screenshots are kept in the test's
temporary folder as artefacts."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import REPO
from tests.theme_store import build_theme_store

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1200,1600")
RESPONDENT_CODE = re.compile(r"^P\dS\dR\d\d$")


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[object]:
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip(f"needs Chromium and its driver ({CHROMIUM}, {CHROMEDRIVER}): "
                    "apt-get install -y chromium chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("browser"))


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _save_screenshot(driver, path: Path) -> None:
    assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_filters_change_the_visible_count(browser, store, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--k", "3", "--out", str(report), "--data", str(store)])
    assert result.exit_code == 0, result.output
    browser.get(report.as_uri())
    count = browser.find_element(By.ID, "result-count")
    total = len(browser.find_elements(By.CSS_SELECTOR, "article.quote"))
    assert count.text == f"{total} of {total} quotations shown" and total > 1
    assert _severe(browser) == []

    Select(browser.find_element(By.ID, "filter-doc")).select_by_value("b")
    visible = [a for a in browser.find_elements(By.CSS_SELECTOR, "article.quote") if a.is_displayed()]
    assert count.text == f"{len(visible)} of {total} quotations shown" and 0 < len(visible) < total
    assert all("[b, study s1]" in a.text for a in visible)

    Select(browser.find_element(By.ID, "filter-doc")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-facet")).select_by_value("site=2")
    assert count.text != f"{total} of {total} quotations shown"
    _save_screenshot(browser, tmp_path / "report-filtered.png")

    details = next(d for d in browser.find_elements(By.CSS_SELECTOR, "article.quote details") if d.is_displayed())
    details.find_element(By.TAG_NAME, "summary").click()
    assert "As this respondent said" in details.text
    assert _severe(browser) == []


@pytest.fixture
def server(store) -> Iterator[str]:
    """`evidence serve` in its own process on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--data", str(store)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    pytest.fail(f"evidence serve did not come up on {url}: {output}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_query_in_the_browser_shows_ranked_quotations_with_respondent_codes(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server)
    box = browser.find_element(By.ID, "field-q")
    box.send_keys("dedicated and ongoing resources")
    Select(browser.find_element(By.ID, "field-codebook")).select_by_value("test")
    browser.find_element(By.ID, "search-button").click()
    summary = WebDriverWait(browser, 20).until(ready.presence_of_element_located((By.ID, "result-summary")))
    assert "theme 'dedicated and ongoing resources'" in summary.text
    ranks = [e.text.split()[0] for e in browser.find_elements(By.CSS_SELECTOR, "article.quote .rank")]
    assert ranks and ranks == [f"#{i}" for i in range(1, len(ranks) + 1)]
    codes = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "article.quote .respondent")]
    assert any(RESPONDENT_CODE.match(code) for code in codes)
    assert _severe(browser) == []
    _save_screenshot(browser, tmp_path / "serve-results.png")


def test_a_heat_map_count_leads_to_the_quotations_it_counts(browser, store, tmp_path):
    from selenium.webdriver.common.by import By

    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--k", "3", "--out", str(report), "--data", str(store)])
    assert result.exit_code == 0, result.output
    browser.get(report.as_uri())
    headings = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".heatmap thead th")]
    assert headings == ["theme", "Report a", "Report b", "total"]
    links = browser.find_elements(By.CSS_SELECTOR, ".heatmap td a")
    assert links
    for link in links:
        count = int(link.text)
        target = link.get_attribute("href").split("#", 1)[1]
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        listed = browser.find_element(By.ID, target)
        assert listed.tag_name == "details" and listed.get_attribute("open") is not None
        items = [li for li in listed.find_elements(By.TAG_NAME, "li") if li.is_displayed()]
        assert len(items) == count
    _save_screenshot(browser, tmp_path / "report-heat-map-link.png")
    assert _severe(browser) == []


def test_the_report_prints_compactly(browser, store, tmp_path):
    import base64

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions

    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--k", "3", "--out", str(report), "--data", str(store)])
    assert result.exit_code == 0, result.output
    browser.get(report.as_uri())
    quotations = len(browser.find_elements(By.CSS_SELECTOR, "article.quote"))
    pdf = base64.b64decode(browser.print_page(PrintOptions()))
    (tmp_path / "report.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= quotations <= 6 and 1 <= pages <= 2, (quotations, pages)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not any(d.is_displayed() for d in browser.find_elements(By.TAG_NAME, "details"))
        _save_screenshot(browser, tmp_path / "report-print.png")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_page_shows_a_bad_choice_as_a_message(browser, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "?q=communication&mode=&k=10")
    message = browser.find_element(By.ID, "error-message")
    assert message.is_displayed() and "choose what to show" in message.text
    assert "{" not in browser.find_element(By.TAG_NAME, "body").text
    _save_screenshot(browser, tmp_path / "serve-bad-choice.png")

    browser.get(server)
    browser.find_element(By.ID, "field-q").send_keys("communication")
    browser.find_element(By.ID, "field-respondent").send_keys("P1S1R1")
    browser.find_element(By.ID, "search-button").click()
    WebDriverWait(browser, 20).until(ready.text_to_be_present_in_element((By.ID, "error-message"), "no respondent"))
    message = browser.find_element(By.ID, "error-message")
    assert "no respondent 'P1S1R1'" in message.text and "did you mean P1S1R01?" in message.text
    assert browser.find_element(By.ID, "field-respondent").get_attribute("value") == "P1S1R1"
    _save_screenshot(browser, tmp_path / "serve-unknown-respondent.png")


def test_the_page_labels_its_fields_in_the_reviewers_words(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server)
    labels = [label.text.split("\n")[0].strip() for label in browser.find_elements(By.CSS_SELECTOR, "form label")]
    assert not {"Find", "Kind", "Facet"} & {label.split(" ")[0] for label in labels}
    modes = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#field-mode option")]
    assert modes == ["quotes", "passages"]
