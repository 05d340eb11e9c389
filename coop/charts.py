"""Charts drawn on the server as SVG by matplotlib, for any domain's page (the assay summary's,
and the reports' to come).

Why on the server, and not Chart.js in the browser: the page's CSP (script-src 'self',
style-src 'self', no inline anything) then needs no script at all, a chart works offline and
without JavaScript, and the same SVG can go into a report's HTML and PDF. svg.fonttype "none"
leaves text as text, drawn by the browser's fonts, so Chinese labels need no CJK font on the
server. An SVG answer carries a CSP of its own (default-src 'none', matplotlib's inline styles
only), in case it is opened on its own rather than as an image. matplotlib loads with the first
chart drawn."""

import io
import threading

from flask import current_app

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

_matplotlib_ready = threading.Lock()
_configured = False


def figure(height=3.4):
    """A matplotlib Figure (not pyplot: no global state, safe in threads) with coop's settings."""
    global _configured
    import matplotlib
    from matplotlib.figure import Figure

    with _matplotlib_ready:
        if not _configured:
            matplotlib.rcParams.update(
                {
                    "svg.fonttype": "none",  # text stays text: the browser's fonts draw it
                    "svg.hashsalt": "coop",  # the same chart is the same file
                    "font.family": "sans-serif",
                    "font.sans-serif": [
                        "Noto Sans CJK SC",
                        "WenQuanYi Micro Hei",
                        "PingFang SC",
                        "Microsoft YaHei",
                        "DejaVu Sans",
                    ],
                    "font.size": 10,
                    "axes.spines.top": False,
                    "axes.spines.right": False,
                    "axes.grid": True,
                    "grid.alpha": 0.3,
                }
            )
            _configured = True
    return Figure(figsize=(7.5, height), layout="constrained")


def svg_of(fig):
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def as_number(value):
    return float("nan") if value is None else value


def thin_ticks(ax, labels, most=12):
    """Label at most `most` periods on the x axis, evenly spaced (months over years crowd)."""
    step = max(1, -(-len(labels) // most))
    positions = list(range(0, len(labels), step))
    ax.set_xticks(positions, [labels[i] for i in positions])
    if len(labels) > 6:
        ax.tick_params(axis="x", labelrotation=45)


def legend_outside(ax):
    """The legend right of the plot, where it hides no point."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def marker_size(items):
    return 5 if len(items) <= 24 else 3


def empty(ax, message):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def svg_response(fig, name):
    """A figure as an SVG answer, shown inline as name.svg."""
    response = current_app.response_class(svg_of(fig), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Content-Disposition"] = f'inline; filename="{name}.svg"'
    return response
