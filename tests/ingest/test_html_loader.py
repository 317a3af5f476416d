"""Web pages: the content only (no navigation or page furniture), headings, block quotations, lists
and tables as paragraphs, and a page with no body refused in one sentence."""

from __future__ import annotations

import pytest

from ingest.clean import normalise
from ingest.errors import EmptyDocument, UnreadableText
from ingest.html_loader import load_html
from ingest.quotes import find_quotes
from ingest.sections import build_sections

PAGE = """<!DOCTYPE html>
<html><head><title>Evaluation of the night service</title><style>p {{ color: red }}</style></head>
<body>
<header><a href="/">Home</a> <a href="/reports">Reports</a></header>
<nav><ul><li><a href="#intro">Introduction</a></li><li><a href="#findings">Findings</a></li></ul></nav>
{content}
<aside>Related reports: Urgent care in winter</aside>
<footer>Copyright the evaluation team. Cookie settings.</footer>
<script>window.analytics = true;</script>
</body></html>
"""
CONTENT = """<main>
<h1>Introduction<a class="headerlink" href="#intro">¶</a></h1>
<p>The night service sent a nurse to any care home that called after ten.</p>
<h2>Findings</h2>
<p>Managers valued the service. As one manager put it:</p>
<blockquote><p>We stopped calling an ambulance for every fall, because the nurse could
check people where they were. (M04)</p></blockquote>
<ul><li>Fewer admissions</li><li>Calmer nights</li></ul>
<table><tr><th>Site</th><th>Calls</th></tr><tr><td>North</td><td>140</td></tr></table>
</main>"""


def _text(tmp_path, html: str) -> str:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return normalise(load_html(path)).text


def test_navigation_and_page_furniture_are_dropped(tmp_path):
    text = _text(tmp_path, PAGE.format(content=CONTENT))
    for boilerplate in ("Home", "Reports", "Related reports", "Copyright", "analytics", "color", "¶"):
        assert boilerplate not in text


def test_headings_become_sections(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(content=CONTENT), encoding="utf-8")
    sections = build_sections(normalise(load_html(path)))
    assert [s.heading for s in sections] == ["Introduction", "Findings"]


def test_a_block_quotation_is_a_paragraph_of_its_own_and_found_as_a_quotation(tmp_path):
    text = _text(tmp_path, PAGE.format(content=CONTENT))
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["M04"]
    assert quotes[0].text.startswith("We stopped calling an ambulance")


def test_list_items_and_tables_keep_their_shape(tmp_path):
    text = _text(tmp_path, PAGE.format(content=CONTENT))
    assert "- Fewer admissions\n\n- Calmer nights" in text
    assert "Site\tCalls\nNorth\t140" in text


def test_without_a_main_element_the_whole_body_is_read(tmp_path):
    text = _text(tmp_path, PAGE.format(content="<div><p>Only a div holds this sentence.</p></div>"))
    assert text == "Only a div holds this sentence."


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Nothing here</title></head></html>",
        "<html><body>   </body></html>",
        PAGE.format(content=""),
    ],
    ids=["no-body", "blank-body", "only-navigation"],
)
def test_a_page_without_body_text_is_refused_in_one_sentence(tmp_path, html):
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(EmptyDocument, match=r"empty\.html has no") as raised:
        load_html(path)
    assert "\n" not in str(raised.value)


def test_binary_data_named_html_is_refused(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnreadableText):
        load_html(path)


def _quotes(tmp_path, content: str):
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(content=content), encoding="utf-8")
    clean = normalise(load_html(path))
    return find_quotes(clean.text, set_off=clean.set_off)


def test_a_blockquote_without_marks_after_a_lead_in_is_a_quotation_signed_by_its_cite(tmp_path):
    quotes = _quotes(tmp_path, "<main><p>One resident summed up the change:</p>"
                               "<blockquote>I can get to the shops again now that the bus stops outside the door. "
                               "<cite>Resident 6</cite></blockquote></main>")
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("I can get to the shops again now that the bus stops outside the door.", "Resident 6")
    ]


def test_a_footer_inside_a_blockquote_signs_the_quotation_and_the_pages_footer_is_still_dropped(tmp_path):
    quotes = _quotes(tmp_path, "<main><p>Patients described leaving at short notice.</p>"
                               "<blockquote><p>“They came at nine and said I was going home at eleven, nobody had "
                               "rung my daughter.”</p><footer>— Patient 4, Ward B</footer></blockquote>"
                               "<blockquote><p>“I sat in the discharge lounge for six hours waiting for my "
                               "tablets.”</p><footer>Patient 9, Ward A</footer></blockquote></main>"
                               "<footer>Contact the team: Patient 1, Ward C</footer>")
    assert [(q.attribution.code, q.attribution.facets["site"]) for q in quotes] == [
        ("Patient 4", "B"), ("Patient 9", "A")]
    assert all("Contact" not in q.text for q in quotes)


def test_an_inline_q_element_is_read_with_the_marks_a_browser_draws(tmp_path):
    text = _text(tmp_path, PAGE.format(content="<main><p>She called it <q>a lifeline</q> (R2).</p></main>"))
    assert "“a lifeline” (R2)" in text


@pytest.mark.parametrize("block", [
    '<aside class="pull-quote"><p>“When the bank went, the footfall went with it.”</p>'
    '<cite>Dev, cafe owner</cite></aside>',
    '<div class="testimonial"><p>When the bank went, the footfall went with it.</p>'
    '<p class="testimonial-author">— Dev, cafe owner</p></div>',
])
def test_a_block_whose_class_sets_a_quotation_is_a_signed_block_quotation(tmp_path, block):
    quotes = _quotes(tmp_path, f"<main><p>Parking charges came up again and again.</p>{block}"
                               "<p>The council disagreed.</p></main>")
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("When the bank went, the footfall went with it.", "Dev, cafe owner")
    ]


def test_an_aside_that_sets_no_quotation_is_still_dropped(tmp_path):
    text = _text(tmp_path, PAGE.format(content="<main><p>Findings follow.</p></main>"))
    assert "Related reports" not in text


def test_a_case_study_box_inside_the_article_is_read_with_its_signed_quotation(tmp_path):
    quotes = _quotes(tmp_path, (
        "<article><h1>Grazing after registration</h1><p>Committees now set the fees for water.</p>"
        "<aside class='case-study'><h3>Case study: the northern wells</h3>"
        "<p>Herders from the next ward had watered their camels here for as long as anyone remembered.</p>"
        "<blockquote><p>When their rains failed they came to us, and when ours failed we went to them.</p>"
        "<footer>— Herder, northern ward</footer></blockquote></aside>"
        "<p>The fees changed that.</p></article>"
    ))
    assert [(q.text, q.attribution.raw) for q in quotes] == [
        ("When their rains failed they came to us, and when ours failed we went to them.", "— Herder, northern ward")
    ]


def test_an_aside_of_links_inside_the_article_is_dropped(tmp_path):
    text = _text(tmp_path, "<article><p>Findings follow in three parts, one for each county we visited.</p>"
                           "<aside><h3>Related</h3><p><a href='/a'>Water rights in the drylands: a review of "
                           "twelve county laws and what they leave out</a></p></aside></article>")
    assert "Water rights" not in text


def test_a_box_of_quotations_inside_the_article_is_kept_though_it_holds_no_paragraph(tmp_path):
    quotes = _quotes(tmp_path, (
        "<article><p>Renters told us the dispute letters were hard to follow, and several said so twice.</p>"
        "<aside class='survey'><h4>From the survey</h4>"
        "<blockquote>I only heard about disputing from a friend, three days after the deadline had passed."
        "<cite>Survey response 4471</cite></blockquote></aside><p>We return to this below.</p></article>"
    ))
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("I only heard about disputing from a friend, three days after the deadline had passed.",
         "Survey response 4471")]


def test_a_figure_caption_signs_the_block_quotation_of_its_figure(tmp_path):
    quotes = _quotes(tmp_path, (
        "<main><p>Few renters knew they could reject a deduction and ask for a decision.</p>"
        "<figure class='quote'><blockquote><p>I just assumed that was what it cost, and nobody told me I could "
        "say no to any of it.</p></blockquote><figcaption><span class='pid'>P07</span> private renter, Leeds"
        "</figcaption></figure></main>"
    ))
    assert [(q.attribution.code, q.attribution.raw) for q in quotes] == [("P07", "— P07 private renter, Leeds")]


def test_block_quotations_signed_once_below_the_last_are_each_a_quotation_of_that_speaker(tmp_path):
    quotes = _quotes(tmp_path, (
        "<main><p>Renters hunted through their phones for proof of the state of the flat.</p>"
        "<figure class='quote'><blockquote><p>I had photos, but they were of my cat, with the carpet behind her."
        "</p></blockquote><blockquote><p>The inventory was forty pages and I had never seen it before.</p>"
        "</blockquote><figcaption>P12, private renter</figcaption></figure></main>"
    ))
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("I had photos, but they were of my cat, with the carpet behind her.", "P12"),
        ("The inventory was forty pages and I had never seen it before.", "P12")]


def test_the_paragraphs_of_one_block_quotation_are_one_quotation(tmp_path):
    quotes = _quotes(tmp_path, (
        "<main><p>Participants described a long silence after sending their evidence.</p>"
        "<blockquote><p>It went off into the void for seven weeks. Nothing, not a word from anyone.</p>"
        "<p>Then the letter came and I still could not tell you how they got to that number.</p>"
        "<footer>P15, private renter</footer></blockquote></main>"
    ))
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("It went off into the void for seven weeks. Nothing, not a word from anyone. Then the letter came and I "
         "still could not tell you how they got to that number.", "P15")]


def test_a_transcript_set_as_a_definition_list_is_read_as_turns(tmp_path):
    text = _text(tmp_path, "<main><dl><dt>Moderator</dt><dd>What did you do about the new deposit?</dd>"
                           "<dt>P14</dt><dd>Credit card. Which I am still paying off.</dd></dl></main>")
    assert "Moderator: What did you do about the new deposit?\n\nP14: Credit card. Which I am still paying off." in text
