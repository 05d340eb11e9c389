"""Charts drawn on the server as SVG by matplotlib, for any domain's page (the assay summary's,
and the reports' to come).

Why on the server, and not Chart.js in the browser: the page's CSP (script-src 'self',
style-src 'self', no inline anything) then needs no script at all, a chart works offline and
without JavaScript, and the same SVG can go into a report's HTML and PDF. svg.fonttype "none"
leaves text as text, drawn by the browser's fonts, so Chinese labels need no CJK font on the
server. An SVG answer carries a CSP of its own (default-src 'none', matplotlib's inline styles
only), in case it is opened on its own rather than as an image. matplotlib loads with the first
chart drawn.

A chart takes a few hundred milliseconds to draw, so drawn charts are kept (chart_response): by
a key that holds everything a chart is drawn from (the version of its data, its arguments, the
language), so the same chart of unchanged data is drawn once, and a change of the data, giving a
new version, is drawn at once."""

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import get_locale

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


def tick_label(day):
    """A tick of a time axis in the reader's language: a year at New Year (2005), else the month
    (Apr 2005; 2005年4月), or the day within a single month."""
    from coop import formatting

    if day.month == 1 and day.day == 1:
        return str(day.year)
    return formatting.month(day) if day.day == 1 else formatting.day(day)


def time_axis(ax, days):
    """The x axis to scale, in time (a period without data leaves its gap), ticks on round dates
    labelled by tick_label."""
    from datetime import timedelta

    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: tick_label(mdates.num2date(x).date()))
    )
    if len(days) == 1:  # one point: a year either side, not a zero-width axis
        ax.set_xlim(days[0] - timedelta(days=366), days[0] + timedelta(days=366))


def value_axis(ax):
    """The y axis's ticks as the locale writes numbers (100,000), with as many decimals as their
    steps need, and no offset or scale factor ("1e7") to read apart."""
    from matplotlib.ticker import FuncFormatter

    from coop import formatting

    def digits():
        ticks = ax.get_yticks()
        for n in range(3):
            if all(abs(t * 10**n - round(t * 10**n)) < 1e-6 for t in ticks):
                return n
        return 3

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: formatting.number(y, digits())))


def legend_outside(ax):
    """The legend right of the plot, where it hides no point."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)


def marker_size(items):
    return 5 if len(items) <= 24 else 3


def empty(ax, message):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


@dataclass(frozen=True)
class Line:
    """One line of a chart: its label, a value (or None: a gap in the line) for each day of the
    x axis, its colour, marker and line style."""

    label: str
    values: list
    colour: str
    marker: str = "o"
    style: str = "-"


@dataclass(frozen=True)
class Panel:
    """A panel of a chart: its lines, the label of its y axis, its limits (bottom, top: None
    lets matplotlib choose), its height relative to the other panels."""

    lines: list
    ylabel: str
    ylim: tuple = (None, None)
    height: float = 1.0


def line_chart(title, days, panels, empty_message, height=3.4):
    """A figure of panels stacked on one time axis (days: a date for each value of the lines, in
    order), each with its lines and their legend beside the plot; empty_message where there are
    no days."""
    fig = figure(height)
    axes = fig.subplots(len(panels), 1, sharex=True, height_ratios=[p.height for p in panels])
    axes = list(axes) if len(panels) > 1 else [axes]
    if len(panels) > 1:
        fig.suptitle(title)
    else:
        axes[0].set_title(title)
    if not days:
        empty(axes[-1], empty_message)
        for ax in axes[:-1]:
            ax.set_axis_off()
        return fig
    size = marker_size(days)
    for ax, panel in zip(axes, panels, strict=True):
        for line in panel.lines:
            ax.plot(
                days,
                [as_number(v) for v in line.values],
                marker=line.marker,
                markersize=size,
                linestyle=line.style,
                color=line.colour,
                label=line.label,
            )
        ax.set_ylabel(panel.ylabel)
        value_axis(ax)
        if panel.ylim != (None, None):
            ax.set_ylim(*panel.ylim)
        legend_outside(ax)
    time_axis(axes[-1], days)
    return fig


class Drawn:
    """The SVG of drawn charts by key, the `kept` most recently used (a dict in the process:
    each worker draws a chart once; a shared store would add a service for what takes under a
    second to redo)."""

    def __init__(self, kept):
        self.kept = kept
        self._svgs = OrderedDict()
        self._lock = threading.Lock()

    def svg(self, key, draw):
        """The SVG kept under key, or draw()'s figure as SVG, then kept."""
        with self._lock:
            if key in self._svgs:
                self._svgs.move_to_end(key)
                return self._svgs[key]
        svg = svg_of(draw())  # outside the lock: other charts need not wait for this one
        with self._lock:
            self._svgs[key] = svg
            while len(self._svgs) > self.kept:
                self._svgs.popitem(last=False)
        return svg

    def clear(self):
        with self._lock:
            self._svgs.clear()


def drawn():
    """The app's kept charts."""
    app = current_app._get_current_object()
    return app.extensions.setdefault("coop.charts", Drawn(app.config["CHARTS_KEPT"]))


def chart_response(key, draw, name):
    """The chart draw() makes, as an SVG answer shown inline as name.svg; drawn only when no
    chart is kept under key in this language. The ETag lets a browser keep it too."""
    svg = drawn().svg((key, str(get_locale())), draw)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Content-Disposition"] = f'inline; filename="{name}.svg"'
    response.set_etag(hashlib.sha256(svg.encode()).hexdigest()[:32])
    return response.make_conditional(request)
