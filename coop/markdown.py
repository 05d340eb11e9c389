"""Minutes and amendments are Markdown; this renders them safely.

markdown-it-py (CommonMark) renders with raw HTML turned off, so a <script> someone typed
into the minutes is shown as the text it is; and its output then passes nh3 (the Ammonia
sanitiser) with a list of allowed tags, so no attribute or URL scheme that could run script
gets through even if the renderer were to let one by. Links open as plain links with
rel="noopener noreferrer"."""

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _image_as_text(self, tokens, idx, options, env):
    """An image is shown as its description: minutes load nothing from elsewhere (the office
    may be offline, and a remote image would tell its server who reads the minutes)."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_renderer.add_render_rule("image", _image_as_text)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# No style attributes: the pages' CSP (style-src 'self') would refuse them anyway.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render(text):
    """Markdown text as sanitised HTML (Markup, safe to put into a page); "" for None."""
    if not text:
        return Markup("")
    html = _renderer.render(text)
    # Safe: markdown-it escaped every raw tag, and nh3 has just sanitised its output.
    return Markup(  # noqa: S704
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def init_app(app):
    app.jinja_env.filters["markdown"] = render
