"""Minutes and amendments rendered from Markdown (coop/markdown.py): what a clerk types comes out
as text unless it is Markdown, and nothing that could run script survives. No app needed.
Property (hypothesis): whatever the text, the HTML holds only the allowed tags and attributes, and
every link's href is http, https or mailto."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from coop.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render

REL = "noopener noreferrer"


class _Elements(HTMLParser):
    """The start tags of an HTML fragment, with their attributes, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    parser = _Elements()
    parser.feed(str(html))
    parser.close()
    return parser


def tags(html):
    return [tag for tag, _ in parse(html).elements]


def text_of(html):
    """The text a reader sees."""
    return "".join(parse(html).text)


def assert_safe(html):
    """Only allowed tags; only allowed attributes (and rel on links); every href http(s) or
    mailto; no on* handler and no style anywhere."""
    assert isinstance(html, Markup)
    for tag, attrs in parse(html).elements:
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (tag, attrs)
        if tag == "a":
            assert attrs.get("rel") == REL
            if "href" in attrs:
                assert scheme(attrs["href"]) in {None, "http", "https", "mailto"}, attrs["href"]


def scheme(href):
    """The scheme a browser reads in an href (None: a relative URL): leading controls and spaces
    are stripped and tabs and newlines removed first, as the URL standard does."""
    href = re.sub(r"[\t\n\r]", "", href.lstrip("".join(map(chr, range(33)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href)
    return match[1].lower() if match else None


# script and HTML typed into the minutes --------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        (
            "Agreed. <script>alert(1)</script> Next.",
            "<p>Agreed. &lt;script&gt;alert(1)&lt;/script&gt; Next.</p>\n",
        ),
        ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", None),
        ("<script>\nalert(1)\n</script>", None),  # as an HTML block
    ],
    ids=["block", "inline", "upper-case-with-src", "multi-line"],
)
def test_a_script_in_the_minutes_is_shown_as_text(source, expected):
    """Raw HTML is off: a <script> is escaped, so the reader sees what was typed and nothing
    runs."""
    html = render(source)
    if expected is not None:
        assert html == expected
    assert "script" not in tags(html)
    assert "<script" not in html.lower()
    assert "&lt;script" in html.lower()
    assert source in text_of(html)  # the reader sees what was typed
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "[click](javascript&#58;alert(1))",  # an entity for the colon
        "[click][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
    ids=[
        "inline",
        "upper-case",
        "leading-spaces",
        "angle-brackets",
        "entity-colon",
        "reference",
        "autolink",
        "vbscript",
        "data-url",
    ],
)
def test_script_links_are_not_links(source):
    """A javascript:, vbscript: or data: link is not rendered as a link; the text stays."""
    html = render(source)
    assert "a" not in tags(html)
    assert "href" not in html
    assert "click" in text_of(html) or "alert(1)" in text_of(html)
    assert_safe(html)


def test_a_link_of_another_scheme_keeps_its_text_and_loses_its_href():
    """nh3 drops an href whose scheme is not allowed (here ftp:)."""
    html = render("[plan](ftp://example.org/plan.pdf)")
    assert parse(html).elements == [("p", {}), ("a", {"rel": REL})]
    assert text_of(html) == "plan\n"


@pytest.mark.parametrize(
    "source",
    [
        "<img src=x onerror=alert(1)>",
        'Before <img src="x" onerror="alert(1)"> after',
        "<svg/onload=alert(1)>",
        "<iframe src=https://evil.example></iframe>",
        "<details open ontoggle=alert(1)>",
        "<style>body{display:none}</style>",
    ],
    ids=["img-onerror", "inline-img-onerror", "svg-onload", "iframe", "details", "style"],
)
def test_html_elements_are_escaped(source):
    """Typed HTML elements are text: no tag and no handler gets into the page."""
    html = render(source)
    assert tags(html) == ["p"]
    assert text_of(html).strip() == source
    assert "<img" not in html and "<svg" not in html and "<iframe" not in html
    assert_safe(html)


@pytest.mark.parametrize(
    "source",
    [
        '<a href="http://example.org" onclick="steal()">a</a>',
        '<p style="color:red" class="x" id="y">styled</p>',
        '<em onmouseover="x()">e</em>',
        '<ol start="3" onclick="x()"><li>a</li></ol>',
    ],
    ids=["a-onclick", "p-style-class-id", "em-onmouseover", "ol-onclick"],
)
def test_inline_html_attributes_never_survive(source):
    """No attribute typed in HTML reaches the page: the whole element is text."""
    html = render(source)
    for _tag, attrs in parse(html).elements:
        assert attrs == {}
    assert text_of(html).strip() == source  # the whole element is shown as text
    assert_safe(html)


def test_table_alignment_gives_no_style_attribute():
    """markdown-it writes style="text-align:..." for aligned columns; no style gets through (the
    pages' CSP would refuse it anyway)."""
    html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert "style" not in html
    assert tags(html).count("th") == 3 and tags(html).count("td") == 3
    assert_safe(html)


def test_a_link_title_cannot_add_an_attribute():
    html = render('[x](https://example.org "t\\" onmouseover=\\"alert(1)")')
    for tag, attrs in parse(html).elements:
        if tag == "a":
            assert set(attrs) <= {"href", "title", "rel"}
    assert_safe(html)


# Markdown that renders -------------------------------------------------------------------------


def test_headings_lists_and_emphasis_render():
    source = (
        "# Monthly meeting\n\n"
        "## Agenda\n\n"
        "- safety\n"
        "- assays\n\n"
        "1. approve the minutes\n"
        "2. next meeting\n\n"
        "*Agreed* by **all** members; `M07` abstained.\n\n"
        "> quoted\n\n"
        "---\n\n"
        "    code block\n\n"
        "line one  \nline two\n\n"
        "###### six\n"
    )
    assert render(source) == (
        "<h1>Monthly meeting</h1>\n"
        "<h2>Agenda</h2>\n"
        "<ul>\n<li>safety</li>\n<li>assays</li>\n</ul>\n"
        "<ol>\n<li>approve the minutes</li>\n<li>next meeting</li>\n</ol>\n"
        "<p><em>Agreed</em> by <strong>all</strong> members; <code>M07</code> abstained.</p>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<hr>\n"
        "<pre><code>code block\n</code></pre>\n"
        "<p>line one<br>\nline two</p>\n"
        "<h6>six</h6>\n"
    )


def test_an_ordered_list_keeps_its_start():
    """<ol start> is allowed, so a list resumed at 3 still reads 3, 4."""
    expected = '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'
    assert render("3. third\n4. fourth") == expected


def test_a_fenced_code_block_loses_its_language_class():
    assert render("```python\nprint(1)\n```") == "<pre><code>print(1)\n</code></pre>\n"


def test_tables_render():
    source = "| mine | t |\n| --- | --- |\n| M07 | 1200 |\n| M12 | 950 |"
    assert render(source) == (
        "<table>\n<thead>\n<tr>\n<th>mine</th>\n<th>t</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>M07</td>\n<td>1200</td>\n</tr>\n"
        "<tr>\n<td>M12</td>\n<td>950</td>\n</tr>\n</tbody>\n</table>\n"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "[report](https://example.org/r)",
            '<p><a href="https://example.org/r" rel="noopener noreferrer">report</a></p>\n',
        ),
        (
            '[report](http://example.org/r "Annual")',
            '<p><a href="http://example.org/r" title="Annual" rel="noopener noreferrer">'
            "report</a></p>\n",
        ),
        (
            "<https://example.org>",
            '<p><a href="https://example.org" rel="noopener noreferrer">https://example.org</a>'
            "</p>\n",
        ),
        (
            "[mail](mailto:clerk@example.org)",
            '<p><a href="mailto:clerk@example.org" rel="noopener noreferrer">mail</a></p>\n',
        ),
        (
            "[q](https://example.org/a?b=1&c=2)",
            '<p><a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">q</a></p>\n',
        ),
    ],
    ids=["https", "http-with-title", "autolink", "mailto", "query-string"],
)
def test_links_get_rel_noopener_noreferrer(source, expected):
    assert render(source) == expected


def test_a_bare_url_is_not_linkified():
    """linkify is off: a URL in running text stays text."""
    assert render("see https://example.org") == "<p>see https://example.org</p>\n"


# empty, text and type --------------------------------------------------------------------------


@pytest.mark.parametrize("source", [None, ""], ids=["none", "empty"])
def test_nothing_gives_empty_markup(source):
    result = render(source)
    assert result == ""
    assert isinstance(result, Markup)


def test_chinese_text_passes_through():
    source = "# 第一项议程\n\n会议纪要：**通过**《安全生产责任书》。\n\n- 锌精矿品位 50%\n"
    assert render(source) == (
        "<h1>第一项议程</h1>\n"
        "<p>会议纪要：<strong>通过</strong>《安全生产责任书》。</p>\n"
        "<ul>\n<li>锌精矿品位 50%</li>\n</ul>\n"
    )


def test_the_result_is_markup_and_plain_text_is_escaped():
    result = render("Tom & Jerry < 3")
    assert type(result) is Markup
    assert result == "<p>Tom &amp; Jerry &lt; 3</p>\n"
    # Markup: joining plain text to it escapes the text, not the rendered HTML
    assert result + "<b>" == "<p>Tom &amp; Jerry &lt; 3</p>\n&lt;b&gt;"
    assert result.__html__() == str(result)


def test_already_escaped_text_is_not_unescaped():
    assert render("&lt;script&gt;") == "<p>&lt;script&gt;</p>\n"


def test_an_image_keeps_its_alt_text():
    """What the clerk typed is not silently lost: an image (not allowed) leaves at least its
    alt text."""
    html = render("![plan of adit 3](https://example.org/plan.png)")
    assert "img" not in tags(html)
    assert "plan of adit 3" in text_of(html)


# property --------------------------------------------------------------------------------------


fragments = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">',
        "</a>",
        "javascript:",
        "[x](",
        "](",
        ")",
        "[",
        "]",
        "<",
        ">",
        '"',
        "'",
        " onclick=",
        "style=",
        "&#58;",
        "&lt;",
        "\n",
        "\n\n",
        "# ",
        "- ",
        "1. ",
        "| a |",
        "|---|",
        "*",
        "`",
        "```",
        "    ",
        "https://example.org",
        "mailto:a@example.org",
        "data:text/html,",
        "会议",
        "<!--",
        "-->",
        "<![CDATA[",
    ]
)
sources = st.one_of(
    st.lists(fragments, max_size=25).map("".join),
    st.text(max_size=200),
    st.lists(st.one_of(fragments, st.text(max_size=5)), max_size=25).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(source=sources)
def test_whatever_is_typed_the_html_is_safe(source):
    html = render(source)
    assert_safe(html)
    assert "<script" not in html.lower()
