"""The designer's layout rules on hand-made pages: no rendering, so this tier runs in a blink."""

from __future__ import annotations

from dataclasses import replace

from pressroom.boxes import Block, Ink, PageLayout, Rect, Region
from pressroom.layout_checks import (
    Geometry,
    check_layout,
    empty_space,
    latin_in_arabic,
    outside_safe_area,
    overlaps,
    short_lines,
    small_text,
    uneven_spread,
)
from pressroom.line_breaks import line_breaks, long_lines, mixed_spacing, script_of

A4_FOLDS = (97.0, 197.0)  # the outside sheet of an A4 roll fold (LTR)


def trifold(inks=(), blocks=(), number=1) -> PageLayout:
    regions = (
        Region("panel-flap", Rect(0, 0, 97, 209.5), Rect(9, 11, 88, 200.5)),
        Region("panel-back", Rect(97, 0, 197, 209.5), Rect(106, 11, 188, 200.5)),
        Region("panel-cover", Rect(197, 0, 297, 209.5), Rect(206, 14, 288, 200.5)),
    )
    return PageLayout(number, 297.0, 210.0, regions, tuple(inks), tuple(blocks))


def text(x0, y0, x1, y1, region="panel-cover", block=0, words="Text", pt=9.5) -> Ink:
    return Ink("text", Rect(x0, y0, x1, y1), region, block, words, pt)


def filled(region: str, x0: float, top: float, bottom: float, step: float = 5.0) -> list[Ink]:
    """Lines of text every `step` mm from top to bottom: a full panel."""
    count = int((bottom - top) / step)
    return [text(x0, top + i * step, x0 + 60, top + i * step + 4, region) for i in range(count)]


def test_a_title_past_its_panels_safe_area_is_an_error_with_the_distance():
    title = Block("h1", "", "spädbarnsmassage", ("spädbarnsmassage",), "panel-cover")
    page = trifold([text(206, 60, 294, 70, words="spädbarnsmassage", pt=26)], [title])
    (problem,) = outside_safe_area(page, A4_FOLDS)
    assert (problem.check, problem.severity, problem.region) == (
        "safe-area",
        "error",
        "panel-cover",
    )
    assert problem.figure == 2.0  # 3 mm from the trim instead of 5
    assert "reaches 3.0 mm from the right edge" in problem.detail
    assert problem.texts == ("spädbarnsmassage",) and problem.what == ("h1",)


def test_ink_near_a_fold_is_outside_the_safe_area_and_well_inside_is_not():
    near_fold = text(106, 30, 193.5, 34, region="panel-back", block=-1, words="web")
    inside = text(106, 40, 190, 44, region="panel-back", block=-1)
    (problem,) = outside_safe_area(trifold([near_fold, inside]), A4_FOLDS)
    assert problem.region == "panel-back" and problem.figure == 1.5
    assert "right edge" in problem.detail


def test_a_qr_code_over_text_is_an_error_naming_the_covered_text():
    words = Block(
        "p", "", "يمكنكم العثور على مدرّبي IAIM", ("يمكنكم العثور على مدرّبي IAIM",), "page"
    )
    qr = Ink("graphic", Rect(150, 200, 176, 226), "page", what="div.qr")
    page = PageLayout(
        2,
        210,
        297,
        (Region("page", Rect(0, 0, 210, 297), Rect(16, 14, 194, 281)),),
        (text(120, 205, 190, 209, "page", 0, words.lines[0], 10), qr),
        (words,),
    )
    (problem,) = overlaps(page)
    assert (problem.check, problem.severity) == ("overlap", "error")
    assert problem.texts == (words.text,)
    assert problem.what == ("div.qr", "p")
    assert "div.qr is drawn over 1 run(s)" in problem.detail


def test_lines_of_one_paragraph_touching_are_not_an_overlap_but_two_paragraphs_are():
    same = [text(10, 20, 80, 24.2, "panel-flap", 0), text(10, 24, 80, 28, "panel-flap", 0)]
    assert overlaps(trifold(same)) == []
    other = [text(10, 20, 80, 24.5, "panel-flap", 0), text(10, 22, 80, 26, "panel-flap", 1)]
    blocks = [
        Block("p", "", "one", ("one",), "panel-flap"),
        Block("p", "cover-chapter", "two", ("two",), "panel-flap"),
    ]
    (problem,) = overlaps(trifold(other, blocks))
    assert problem.texts == ("one", "two")


def paragraph(*lines: str, text: str | None = None) -> Block:
    return Block("p", "", text or " ".join(lines), lines, "panel-back")


def test_three_hyphenated_lines_in_a_row_are_a_ladder_two_are_not():
    three = paragraph(
        "Die Muskelverspan‐",
        "nung und Verdau‐",
        "ungsbeschwer‐",
        "den.",
        text="Die Muskelverspannung und Verdauungsbeschwerden.",
    )
    (ladder,) = [
        p for p in line_breaks(trifold(blocks=[three]), "de", ()) if p.check == "hyphen-ladder"
    ]
    assert ladder.figure == 3 and ladder.severity == "warning"
    two = paragraph(
        "Die Muskelverspan‐",
        "nung und Verdau‐",
        "ungsbeschwerden lösen sich.",
        text="Die Muskelverspannung und Verdauungsbeschwerden lösen sich.",
    )
    assert not [
        p for p in line_breaks(trifold(blocks=[two]), "de", ()) if p.check == "hyphen-ladder"
    ]


def test_a_paragraph_ending_on_a_short_fragment_is_a_runt():
    block = paragraph(
        "styles of touch, movement, interaction and communica‐",
        "tion.",
        text="styles of touch, movement, interaction and communication.",
    )
    (runt,) = [p for p in line_breaks(trifold(blocks=[block]), "en", ()) if p.check == "runt"]
    assert runt.figure == 4 and "'tion.'" in runt.detail
    cjk = paragraph("通过按摩，父母可以学会如何安抚宝宝，并增进亲子之间的感情与信任", "授。")
    assert [
        p.figure for p in line_breaks(trifold(blocks=[cjk]), "zh_Hans", ()) if p.check == "runt"
    ] == [2]  # one ideograph, as wide as two Latin letters
    hindi = paragraph("शिशु मालिश माता-पिता और शिशु के बीच के बंधन को मजबूत करने में सहायक", "है।")
    assert [
        p.figure for p in line_breaks(trifold(blocks=[hindi]), "hi", ()) if p.check == "runt"
    ] == [1]  # ह + ै: one letter and its vowel sign
    # a last word bound to the one before it, or a phrase of three ideographs, is no runt
    for lines in (
        ("infant massage educator taught me and I felt connected", "to\u00a0him."),
        ("它的课程包含多种不同形式的抚触、动作、互动", "与交流。"),
        ("शिशु मालिश माता-पिता और शिशु के बीच के बंधन को मजबूत", "कर\u00a0सकता\u00a0है।"),
    ):
        assert line_breaks(trifold(blocks=[paragraph(*lines)]), "en", ()) == []
    one_line = paragraph("A mother")
    assert line_breaks(trifold(blocks=[one_line]), "en", ()) == []


def broken(lines, text, lang="en", names=()):
    return [
        p
        for p in line_breaks(trifold(blocks=[paragraph(*lines, text=text)]), lang, names)
        if p.check == "broken-name"
    ]


def test_names_urls_and_dates_broken_across_lines_are_warnings():
    (url,) = broken(
        ("Web www.example.", "org/find-an-instructor"), "Web www.example.org/find-an-instructor"
    )
    assert "a URL is broken across lines: www.example. / org/find" in url.detail
    # at a "/" of its path is where a long web address may break (the handout's url_breaks)
    for lines in (("Web www.example.org/", "find-an-instructor"),
                  ("Web www.example.org", "/find-an-instructor")):  # fmt: skip
        assert not broken(lines, "Web www.example.org/find-an-instructor")
    (date,) = broken(
        ("Περιεχόμενο από την IAIM® 1 Σε‐", "πτεμβρίου 2020"),
        "Περιεχόμενο από την IAIM® 1 Σεπτεμβρίου 2020",
        "el",
    )
    assert "a date is broken" in date.detail
    (city,) = broken(
        ("Professor of Pediatrics at the University of California in San Fran‐", "cisco."),
        "Professor of Pediatrics at the University of California in San Francisco.",
    )
    assert "a name is broken across lines: Fran- / cisco." in city.detail
    (record,) = broken(
        ("IAIM International (sample re‐", "cord)"),
        "IAIM International (sample record)",
        names=("IAIM International (sample record)",),
    )
    assert "name" in record.detail


def test_ordinary_words_and_german_nouns_may_hyphenate():
    assert (
        broken(
            ("Massage ist eine gute Muskelverspan‐", "nung"),
            "Massage ist eine gute Muskelverspannung",
            "de",
        )
        == []
    )
    assert broken(("a secure attach‐", "ment"), "a secure attachment") == []
    assert broken(("Relief of", "colic"), "Relief of colic") == []  # a break between words


def test_a_panel_more_than_a_quarter_empty_is_a_warning_with_its_figures():
    inks = (
        filled("panel-flap", 10, 11, 200)
        + filled("panel-back", 106, 11, 120)
        + filled("panel-cover", 206, 14, 200)
    )
    (empty,) = empty_space(trifold(inks))
    assert empty.region == "panel-back" and empty.figure == 45  # 86 of 190 mm, under the text
    assert "45 % empty" in empty.detail and "86 mm without ink from 115 to 200 mm" in empty.detail


def test_inside_panels_ending_apart_are_a_warning():
    inks = (
        filled("panel-flap", 10, 11, 140)
        + filled("panel-back", 106, 11, 180)
        + filled("panel-cover", 206, 14, 175)
    )
    (spread,) = uneven_spread(trifold(inks, number=2))
    assert spread.figure == 40.0 and spread.what == ("panel-flap",)
    even = filled("panel-flap", 10, 11, 175) + filled("panel-back", 106, 11, 180)
    assert uneven_spread(trifold(even, number=2)) == []


def test_body_text_under_its_scripts_size_is_a_warning():
    arabic = text(120, 30, 180, 34, "panel-back", -1, "يمكنكم العثور على مدرّبي", 9.5)
    latin = text(120, 40, 180, 44, "panel-back", -1, "IAIM", 9.5)
    (small,) = small_text([trifold([arabic, latin])])
    assert small.figure == 9.5 and "arabic text at 9.5 pt, under the 11 pt" in small.detail
    assert script_of("यह शिशु") == "devanagari" and script_of("赤ちゃん") == "cjk"
    assert script_of("IAIM ® رسالة") == "arabic"  # the most letters decide


def test_check_layout_runs_every_rule_and_the_spread_only_inside():
    inks = filled("panel-flap", 10, 11, 60) + filled("panel-back", 106, 11, 200)
    outside = check_layout([trifold(inks)], Geometry({1: A4_FOLDS}))
    assert {p.check for p in outside} == {"empty"}
    inside = check_layout([trifold(inks, number=2)], Geometry({2: A4_FOLDS}))
    assert {p.check for p in inside} == {"empty", "uneven-spread"}


def test_fold_marks_on_a_fold_are_no_ink_too_close_to_it():
    tick = Ink("rule", Rect(96.9, 5, 97.1, 8), "panel-flap", what="section::after.panel")
    rule = Ink("rule", Rect(106, 100, 196, 100.3), "panel-back", what="p.cover-chapter")
    found = check_layout([trifold([tick, rule])], Geometry({1: A4_FOLDS}))
    (problem,) = [p for p in found if p.check == "safe-area"]
    assert problem.what == ("p.cover-chapter",) and "right edge" in problem.detail


def test_latin_set_tight_against_kana_or_ideographs_is_found_per_paragraph():
    tight = paragraph("IAIMインファントマッサージ・プログラム", "2020年9月1日", text="…")
    (problem,) = mixed_spacing(trifold(blocks=[tight]))
    assert (problem.check, problem.severity, problem.figure) == ("cjk-spacing", "warning", 4)
    assert "'Mイ, 0年, 9月, 1日'" in problem.detail
    # a quarter em (the typesetting step's), a space or punctuation between: nothing to report
    spaced = paragraph("IAIM\u2005インファント", "2020\u2005年「International」の", "IAIM®）。")
    latin = paragraph("IAIM International (sample record)")
    assert mixed_spacing(trifold(blocks=[spaced, latin])) == []


def test_latin_at_the_size_of_the_arabic_around_it_is_found():
    # one run: the Latin shares the Arabic's size; a separate run at 100 % likewise
    title = Block("h1", "", "رسالة IAIM", ("رسالة IAIM",), "page")
    same_run = text(60, 100, 150, 112, "page", 0, "رسالة IAIM", 30)
    body = Block("p", "", "عن Dr. Marshall Klaus", ("عن Dr. Marshall Klaus",), "page")
    arabic = text(120, 130, 150, 135, "page", 1, "عن ", 11)
    latin = text(60, 130, 119, 135, "page", 1, "Dr. Marshall Klaus", 11)
    page = PageLayout(1, 210.0, 297.0, (), (same_run, arabic, latin), (title, body))
    found = sorted((p.check, p.figure, p.texts) for p in latin_in_arabic([page]))
    assert found == [
        ("latin-size", 1.0, ("رسالة IAIM",)),
        ("latin-size", 1.0, ("عن Dr. Marshall Klaus",)),
    ]
    # set at 86.5 % (styles/base.css .latin), or a Latin paragraph of its own: nothing
    peer = text(60, 130, 119, 135, "page", 1, "Dr. Marshall Klaus", 9.5)
    name = text(60, 140, 119, 145, "page", 2, "IAIM International", 11)
    assert latin_in_arabic([PageLayout(1, 210.0, 297.0, (), (arabic, peer, name), ())]) == []


def test_a_latin_word_broken_at_its_hyphen_in_right_to_left_text_is_found():
    broken = paragraph("ד״ר קלאוס הוא עורך־שותף של Care of the High-", "Risk Infants, ספר יסוד")
    (problem,) = [
        p for p in line_breaks(trifold(blocks=[broken]), "he", ()) if p.check == "bidi-break"
    ]
    assert (
        problem.severity == "warning" and "'עורך־שותף של Care of the High-'"[-25:] in problem.detail
    )
    # kept whole (the typesetting step's word joiner), a Hebrew maqaf, or left-to-right text
    whole = paragraph("ד״ר קלאוס הוא עורך־שותף של Care of the", "High-\u2060Risk Infants, ספר")
    maqaf = paragraph("ד״ר קלאוס הוא עורך־", "שותף של הספר")
    english = paragraph("Dr. Klaus is the co-editor of Care of the High-", "Risk Infants")
    assert not [
        p for p in line_breaks(trifold(blocks=[whole, maqaf]), "he", ()) if p.check == "bidi-break"
    ]
    assert not [
        p for p in line_breaks(trifold(blocks=[english]), "en", ()) if p.check == "bidi-break"
    ]


def test_a_line_of_justified_chinese_stopping_short_of_the_measure_is_found():
    def lines(*widths, words=("宝宝" * 12,)):
        inks = [
            text(106, 20 + 6 * row, 106 + width, 24 + 6 * row, "panel-back", 0, word)
            for row, (width, word) in enumerate(zip(widths, words * len(widths), strict=False))
        ]
        block = Block(
            "p", "", "宝宝" * 40, tuple(i.text for i in inks), "panel-back", justified=True
        )
        return PageLayout(1, 297.0, 210.0, (), tuple(inks), (block,))

    (problem,) = short_lines(lines(80, 48, 80, 20))  # the second line stops at 60 %
    assert (problem.check, problem.figure) == ("short-line", 60)
    assert short_lines(lines(80, 78, 80, 20)) == []  # full lines, a short last line
    # before a Latin name too long for the line's end; or set ragged: not a hole in a grid
    assert (
        short_lines(lines(80, 48, 80, words=("宝宝", "宝宝", "Representation）をご覧ください")))
        == []
    )
    ragged = lines(80, 48, 80, 20)
    ragged = PageLayout(
        1, 297.0, 210.0, (), ragged.inks, (replace(ragged.blocks[0], justified=False),)
    )
    assert short_lines(ragged) == []


def test_running_text_set_wider_than_85_characters_is_found():
    wide = (
        "The basic meaning of infant massage is just what it sounds like: massaging your baby. To"
    )
    comfortable = "The basic meaning of infant massage is just what it sounds like: massaging"
    (problem,) = long_lines(trifold(blocks=[paragraph(wide, "have a deeper understanding.")]))
    assert (problem.check, problem.figure) == ("measure", len(wide))
    # a comfortable line, and Chinese (not counted in letters): nothing
    cjk = paragraph("婴儿按摩的基本含义正如字面所示" * 6)
    assert long_lines(trifold(blocks=[paragraph(comfortable, "your baby."), cjk])) == []
