"""Every review action in the evidence browser, in a real headless Chromium: one click or one
selection, then the change is on the page and in `evidence quotes --json` (or the answer that
shows it), still there after the server restarts, and still there after the document changed
and was ingested again. Screenshots are kept in each test's temporary folder."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.pipeline.test_browser import REPO, _save_screenshot, _severe, browser  # noqa: F401  (the browser fixture)
from tests.theme_store import CODEBOOK

pytestmark = pytest.mark.slow

REPORT = """Report on the homes

Findings

Resources

The evaluation heard a great deal about money. As one commissioner said:

"We lost the money and we lost the people who knew the homes." (P3S1R01)

Another manager said:

"The nurses came twice a week and then they stopped coming at all." (P3S1R02)

Staff in the homes said the visits had been the best part of the programme.
"""
CHANGED = REPORT.replace("Findings\n\n", "Findings\n\nThis second edition adds an opening paragraph.\n\n")
NARRATIVE = "the visits had been the best part of the programme"


def cli(data: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(main, [*args, "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def quote_rows(data: Path) -> list[dict]:
    return cli(data, "quotes")


def row_with(data: Path, words: str) -> dict:
    """The quotation holding `words`, or {} when none does."""
    return next((q for q in quote_rows(data) if words in q["text"]), {})


def ingest(tmp: Path, text: str) -> Path:
    corpus = tmp / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "r.txt").write_text(text, encoding="utf-8")
    (tmp / "themes.yaml").write_text(CODEBOOK, encoding="utf-8")
    manifest = tmp / "manifest.yaml"
    manifest.write_text("root: corpus\ndocuments:\n  - {id: r, path: r.txt, title: 'The homes report', study: s1}\n",
                        encoding="utf-8")
    data = tmp / "data"
    run_ingest(manifest, data, HashingEmbedder,
               IngestOptions(workers=1, show_progress=False, codebook_path=tmp / "themes.yaml"))
    return data


class Server:
    """`evidence serve` in its own process on a free loopback port; restartable."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--data", str(self.data),
             "--reviewer", "ana"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"evidence serve did not come up: {self.process.stdout.read().decode()}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def served(tmp_path) -> Iterator[Server]:
    server = Server(ingest(tmp_path, REPORT))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def card(driver, words: str):
    from selenium.webdriver.common.by import By

    found = [c for c in driver.find_elements(By.CSS_SELECTOR, "section.card") if words in c.text]
    assert found, f"no card holding {words!r}"
    return found[0]


def click(driver, element) -> None:
    """Click and wait for the page the form's redirect loads: the clicked element is gone from it.

    While the old page is torn down, Chromium may answer for the element with an inspector error
    rather than a stale reference; either means the old page is going."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    element.click()
    WebDriverWait(driver, 20).until(gone)


def select_text(driver, words: str) -> None:
    """Select `words` in the document's text, as a reviewer would with the mouse."""
    driver.execute_script(
        """
        const words = arguments[0];
        for (const run of document.querySelectorAll('#doc-text [data-o]')) {
          const node = run.firstChild, at = node ? node.textContent.indexOf(words) : -1;
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at); range.setEnd(node, at + words.length);
          const selection = window.getSelection();
          selection.removeAllRanges(); selection.addRange(range);
          document.dispatchEvent(new Event('selectionchange'));
          return;
        }
        throw new Error('text not found: ' + words);
        """, words)


def wait_enabled(driver, button) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda _: button.is_enabled())


@dataclass(frozen=True)
class Action:
    """One review action: what the reviewer does on the page, and how its result shows."""

    name: str
    act: Callable
    on_page: Callable
    in_answers: Callable
    prepare: Callable = lambda data: None


def _accept(d):
    click(d, card(d, "We lost the money").find_element("css selector", "form.accept button"))


def _reject(d):
    click(d, card(d, "The nurses came").find_element("css selector", "form.reject button"))


def _respondent(d):
    form = card(d, "We lost the money").find_element("css selector", "form.respondent-form")
    field = form.find_element("name", "code")
    field.clear()
    field.send_keys("P3S1R77")
    click(d, form.find_element("css selector", "button"))


def _span(d):
    select_text(d, "we lost the people who knew the homes")
    button = card(d, "We lost the money").find_element("css selector", "form.span-form button")
    wait_enabled(d, button)
    click(d, button)


def _add(d):
    select_text(d, NARRATIVE)
    button = d.find_element("id", "add-button")
    wait_enabled(d, button)
    click(d, button)


def _theme_add(d):
    from selenium.webdriver.support.ui import Select

    form = card(d, "The nurses came").find_element("css selector", "form.add-theme")
    Select(form.find_element("tag name", "select")).select_by_visible_text("communication (test)")
    click(d, form.find_element("css selector", "button"))


def _theme_remove(d):
    chip = next(c for c in card(d, "The nurses came").find_elements("css selector", "li.theme")
                if c.text.startswith("communication"))
    click(d, chip.find_element("css selector", "button"))


def _memo_quote(d):
    form = card(d, "We lost the money").find_element("css selector", "form.memo-form")
    form.find_element("name", "memo").send_keys("Echoed by three sites.")
    click(d, form.find_element("css selector", "button"))


def _memo_document(d):
    form = d.find_element("id", "doc-memo-form")
    form.find_element("name", "memo").send_keys("Second edition reviewed.")
    click(d, form.find_element("css selector", "button"))


def _memo_respondent(d):
    form = d.find_element("id", "respondent-memo-P3S1R01")
    form.find_element("name", "memo").send_keys("Commissioner, site 1.")
    click(d, form.find_element("css selector", "button"))


def _coded(data: Path, words: str) -> bool:
    return "test: communication" in row_with(data, words).get("themes", [])


def _memos(data: Path) -> list[tuple[str, str]]:
    return [(r["target"], json.loads(r["after"]).get("memo")) for r in cli(data, "review", "list")]


def _has_chip(d, words: str, theme: str) -> bool:
    return any(c.text.startswith(theme) for c in card(d, words).find_elements("css selector", "li.theme"))


def _code_theme(data: Path, *remove: str) -> None:
    """Code 'The nurses came' with communication by the command line (or take it out with --remove)."""
    quote = row_with(data, "The nurses came")["quote_id"]
    result = CliRunner().invoke(main, ["review", "theme", str(quote), "communication", "--codebook", "test",
                                       *remove, "--reviewer", "bob", "--data", str(data)])
    assert result.exit_code == 0, result.output


ACTIONS = [
    Action("accept", _accept,
           lambda d: "accepted" in card(d, "We lost the money").get_attribute("class"),
           lambda data: row_with(data, "We lost the money").get("review_status") == "accepted"),
    Action("reject", _reject,
           lambda d: "rejected" in card(d, "The nurses came").get_attribute("class")
           and "The nurses came" not in "".join(m.text for m in d.find_elements("css selector", "#doc-text mark")),
           lambda data: row_with(data, "The nurses came") == {}),
    Action("respondent", _respondent,
           lambda d: card(d, "We lost the money").find_element("css selector", ".respondent").text == "P3S1R77",
           lambda data: row_with(data, "We lost the money").get("respondent_code") == "P3S1R77"),
    Action("span", _span,
           lambda d: card(d, "we lost the people").find_element("css selector", ".quote-text").text
           == "we lost the people who knew the homes",
           lambda data: any(q["text"] == "we lost the people who knew the homes" for q in quote_rows(data))),
    Action("add", _add,
           lambda d: "added" in card(d, NARRATIVE).get_attribute("class"),
           lambda data: row_with(data, NARRATIVE).get("review_status") == "added"),
    Action("theme-add", _theme_add,
           lambda d: _has_chip(d, "The nurses came", "communication"),
           lambda data: _coded(data, "The nurses came"),
           prepare=lambda data: _code_theme(data, "--remove")),
    Action("theme-remove", _theme_remove,
           lambda d: not _has_chip(d, "The nurses came", "communication"),
           lambda data: not _coded(data, "The nurses came"),
           prepare=_code_theme),
    Action("memo-quote", _memo_quote,
           lambda d: card(d, "We lost the money").find_element("css selector", ".memo-text").text
           == "Echoed by three sites.",
           lambda data: row_with(data, "We lost the money").get("memo") == "Echoed by three sites."),
    Action("memo-document", _memo_document,
           lambda d: d.find_element("css selector", "#doc-memo .memo-text").text == "Second edition reviewed.",
           lambda data: ("document", "Second edition reviewed.") in _memos(data)),
    Action("memo-respondent", _memo_respondent,
           lambda d: "Commissioner, site 1." in d.find_element("css selector", "section.respondents").text,
           lambda data: ("respondent", "Commissioner, site 1.") in _memos(data)),
]


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_a_review_action_shows_on_the_page_and_in_every_answer_and_survives(action, browser, served,  # noqa: F811
                                                                            tmp_path):
    action.prepare(served.data)
    browser.get(served.url + "/doc/r")
    assert not action.in_answers(served.data)
    action.act(browser)
    assert action.on_page(browser)
    assert action.in_answers(served.data)
    assert _severe(browser) == []
    _save_screenshot(browser, tmp_path / f"{action.name}.png")

    served.restart()
    browser.get(served.url + "/doc/r")
    assert action.on_page(browser)

    ingest(tmp_path, CHANGED)
    browser.get(served.url + "/doc/r")
    assert "This second edition adds an opening paragraph." in browser.find_element("id", "doc-text").text
    assert action.on_page(browser)
    assert action.in_answers(served.data)
    assert cli(served.data, "review", "orphans") == []


def test_a_search_result_links_to_its_quotation_in_the_document(browser, served):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(served.url + "/?q=communication&codebook=test")
    link = browser.find_element(By.CSS_SELECTOR, "a.open-document")
    click(browser, link)
    target = browser.current_url.split("#", 1)[1]
    assert target.startswith("card-")
    assert browser.find_element(By.ID, target).is_displayed()
    sections = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#sections a")]
    assert "Resources" in sections


def test_a_write_from_another_site_or_by_get_is_refused(served):
    quote = row_with(served.data, "We lost the money")["quote_id"]
    request = urllib.request.Request(f"{served.url}/review/quote/{quote}/reject", data=b"back=%2F", method="POST",
                                     headers={"Origin": "http://elsewhere.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as not_allowed:
        urllib.request.urlopen(f"{served.url}/review/quote/{quote}/reject", timeout=10)
    assert not_allowed.value.code == 405
    assert row_with(served.data, "We lost the money")


def test_rejecting_a_search_result_takes_it_out_of_the_results(browser, served):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(served.url + "/?q=communication&codebook=test")
    first = browser.find_element(By.CSS_SELECTOR, "article.quote blockquote").text
    click(browser, browser.find_element(By.CSS_SELECTOR, ".review-bar form.reject button"))
    assert "q=communication" in browser.current_url
    shown = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "article.quote blockquote")]
    assert first not in shown
    assert row_with(served.data, first) == {}
