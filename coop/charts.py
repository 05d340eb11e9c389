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
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Line:
    """One line of a chart: its label, a value (or None) for each label of the x axis, its
    colour, marker and line style."""

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


def line_chart(title, labels, panels, empty_message, height=3.4):
    """A figure of panels stacked on one x axis of labels (periods), each with its lines and
    their legend beside the plot; empty_message where there are no labels."""
    fig = figure(height)
    axes = fig.subplots(len(panels), 1, sharex=True, height_ratios=[p.height for p in panels])
    axes = list(axes) if len(panels) > 1 else [axes]
    if len(panels) > 1:
        fig.suptitle(title)
    else:
        axes[0].set_title(title)
    if not labels:
        empty(axes[-1], empty_message)
        for ax in axes[:-1]:
            ax.set_axis_off()
        return fig
    x = range(len(labels))
    size = marker_size(labels)
    for ax, panel in zip(axes, panels, strict=True):
        for line in panel.lines:
            ax.plot(
                x,
                [as_number(v) for v in line.values],
                marker=line.marker,
                markersize=size,
                linestyle=line.style,
                color=line.colour,
                label=line.label,
            )
        ax.set_ylabel(panel.ylabel)
        if panel.ylim != (None, None):
            ax.set_ylim(*panel.ylim)
        legend_outside(ax)
    thin_ticks(axes[-1], labels)
    return fig


def svg_response(fig, name):
    """A figure as an SVG answer, shown inline as name.svg."""
    response = current_app.response_class(svg_of(fig), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Content-Disposition"] = f'inline; filename="{name}.svg"'
    return response
