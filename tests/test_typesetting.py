"""Line-break typography: no render, the text and HTML the templates hand to WeasyPrint."""

import gettext
from datetime import date

from pressroom.languages import language
from pressroom.project import Project
from pressroom.templating import make_environment
from pressroom.typesetting import (
    NBSP,
    QUARTER_EM,
    bind_last_word,
    latin_in_rtl,
    phrase_html,
    plain_head,
    space_mixed,
)


def test_a_short_last_word_is_bound_to_the_one_before():
    assert bind_last_word("ends in a runt here.") == f"ends in a runt{NBSP}here."
    assert bind_last_word("Muskelverspannungen lösen") == f"Muskelverspannungen{NBSP}lösen"
    # an opening bracket is not counted: "(IAIM®)." stays with the word before it
    assert (
        bind_last_word("through the Association (IAIM®).")
        == f"through the Association{NBSP}(IAIM®)."
    )
    # a long last word may go to its own line; markup at the end is left alone
    assert (
        bind_last_word("a paragraph ending in consequences") == "a paragraph ending in consequences"
    )
    assert (
        bind_last_word("see <cite>Your Amazing Newborn</cite>")
        == "see <cite>Your Amazing Newborn</cite>"
    )


def test_japanese_display_text_breaks_between_phrases_only():
    html = (
        "<html><head><title>プログラム</title></head><body>"
        "<h1>インファントマッサージ・プログラムの利点</h1><p>私たちのプログラムには、さまざまなスタイルのタッチが含まれています。</p></body></html>"
    )
    out = phrase_html(html, "ja")
    heading = out[out.index("<h1>") : out.index("</h1>")]
    assert '<span class="ph">' in heading and "プロ</span>" not in heading
    assert "<title>プログラム</title>" in out  # the head is never touched
    paragraph = out[out.index("<p>") : out.index("</p>")]
    # running text stays on the character grid; only its last three letters are kept
    # together (a longer unbreakable end left the line before it short, a hole in the grid)
    assert paragraph.count("<span") == 1 and paragraph.endswith('<span class="ph">います。</span>')
    latin = phrase_html(
        "<body><p>「各国の代表支部」（International Representation）</p></body>", "ja"
    )
    assert latin.endswith('<span class="ph">Representation）</span></p></body>')
    assert phrase_html(html, "de") == html


def test_chinese_paragraph_never_ends_on_a_fragment_of_one_or_two_characters():
    # BudouX splits "太可爱了！）" into one-character phrases; the last line must keep three
    html = (
        "<html><head></head><body><p>因为正是它让我们深深爱上自己的宝宝。"
        "（好吧，还因为他们实在太可爱了！）</p></body></html>"
    )
    paragraph = phrase_html(html, "zh_Hans")
    tail = paragraph[paragraph.index('<span class="ph">') : paragraph.index("</p>")]
    assert tail == '<span class="ph">可爱了！）</span>'


def test_dates_do_not_break_and_french_writes_1er():
    def long_date(code: str) -> str:
        env = make_environment(Project.at(), language(code), gettext.NullTranslations())
        return env.filters["long_date"](date(2020, 9, 1))

    assert long_date("fr") == f"1er{NBSP}septembre{NBSP}2020"
    assert long_date("en_GB") == f"1{NBSP}September{NBSP}2020"
    assert NBSP in long_date("el") and " " not in long_date("el")


def test_the_head_keeps_plain_spaces_for_the_pdf_metadata():
    html = (
        f"<html><head><title>Infant Massage{NBSP}Program</title></head>"
        f"<body><p>a{NBSP}b</p></body></html>"
    )
    assert plain_head(html) == html.replace(f"Massage{NBSP}", "Massage ")


def test_latin_beside_japanese_or_chinese_gets_a_quarter_em():
    q = QUARTER_EM
    assert space_mixed("IAIMインファント") == f"IAIM{q}インファント"
    assert (
        space_mixed("找到IAIM导师，内容由IAIM®提供") == f"找到{q}IAIM{q}导师，内容由{q}IAIM®{q}提供"
    )
    assert space_mixed("2020年9月1日") == f"2020{q}年{q}9{q}月{q}1{q}日"
    # punctuation already spaces them; Latin text alone is left alone
    assert space_mixed("「International Representation」") == "「International Representation」"
    assert space_mixed("IAIM International") == "IAIM International"
    # in the rendered HTML: text nodes of Japanese and Chinese documents only, never the head
    html = "<html><head><title>IAIMの使命</title></head><body><h1>IAIMの使命</h1></body></html>"
    out = phrase_html(html, "ja")
    assert f"IAIM{q}の" in out and "<title>IAIMの使命</title>" in out
    assert phrase_html(html, "de") == html


def test_latin_words_in_arabic_text_are_marked_to_be_set_as_peers():
    html = (
        "<html><head><title>رسالة IAIM</title></head><body>"
        "<h1>رسالة \u2066IAIM®\u2069</h1><p>IAIM International (sample record)</p>"
        '<p class="wordmark" lang="en">IAIM</p><p>عن Dr. Marshall Klaus</p></body></html>'
    )
    out = latin_in_rtl(html, "ar", rtl=True)
    assert '<h1>رسالة \u2066<span class="latin">IAIM®</span>\u2069</h1>' in out
    assert '<span class="latin">Dr. Marshall Klaus</span>' in out  # one run, spaces and all
    # text with no Arabic (a record's name, the wordmark) and the head keep their size
    assert "<p>IAIM International (sample record)</p>" in out
    assert '<p class="wordmark" lang="en">IAIM</p>' in out and "<title>رسالة IAIM</title>" in out
    assert latin_in_rtl(html, "he", rtl=True) == html  # Hebrew: sized as it is
    assert latin_in_rtl(html, "de", rtl=False) == html
    # a Latin word's hyphen never ends a right-to-left line; Hebrew maqaf and Arabic untouched
    hebrew = "<body><p>עורך־שותף של <cite>Care of the High-Risk Infants</cite></p></body>"
    assert "High-\u2060Risk" in latin_in_rtl(hebrew, "he", rtl=True)
    assert "עורך־שותף" in latin_in_rtl(hebrew, "he", rtl=True)
