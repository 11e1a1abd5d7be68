"""The look of the dashboard's charts: colours, plotly's own words, layout and share axes.

The Okabe–Ito palette stays distinguishable with the common colour-vision deficiencies; a
sequential blue scale shows coverage. Numbers follow the reader's language: plotly's
separators are the language's (``12 345`` in Russian) and percentages are written as the
language writes them. Figures keep ``template="plotly_white"`` and name no web font, so they
render offline.
"""

from __future__ import annotations

from typing import Any, Final

from babel.numbers import get_decimal_symbol, get_group_symbol

from prevplan.analytics.frames import NOT_SERVED, SERVED
from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_percent

# Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow, blue,
# vermillion, reddish purple, black.
OKABE_ITO: Final[tuple[str, ...]] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = OKABE_ITO
COVERAGE_SCALE: Final = "Blues"
"""Sequential blue scale for shares: light is low coverage, dark is high."""
EMPTY_CELL: Final = "#E5E5E5"
"""Background behind heatmap cells that have no people: grey, so they never read as 0 %."""

KIND_COLOURS: Final = {"fundamental": BLUE, "supporting": ORANGE}
STATUS_COLOURS: Final = {SERVED: BLUE, NOT_SERVED: ORANGE}
TEMPLATE: Final = "plotly_white"


#: What plotly itself writes on a chart — its tool bar's buttons and its notices — by
#: plotly's own English words, which are the keys of a plotly locale dictionary.
PLOTLY_WORDS: Final = (
    N_("Download plot as a PNG"),
    N_("Download plot"),
    N_("Zoom"),
    N_("Pan"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Autoscale"),
    N_("Reset axes"),
    N_("Box Select"),
    N_("Lasso Select"),
    N_("Toggle Spike Lines"),
    N_("Show closest data on hover"),
    N_("Compare data on hover"),
    N_("Double-click to zoom back out"),
    N_("Taking snapshot - this may take a few seconds"),
    N_("Snapshot succeeded"),
    N_("Sorry, there was a problem downloading your snapshot!"),
)


def chart_config(lang: str | None = None) -> dict[str, Any]:
    """The plotly ``config`` of a chart shown in the app: no plotly logo, and outside English
    a plotly locale that puts the tool bar's tooltips and notices in the reader's language."""
    chosen = lang or current_language()
    config: dict[str, Any] = {"displaylogo": False}
    if chosen == DEFAULT_LANGUAGE:
        return config
    dictionary = {word: _(word, chosen) for word in PLOTLY_WORDS}
    config["locale"] = chosen
    config["locales"] = {chosen: {"dictionary": dictionary}}
    return config


def separators() -> str:
    """Plotly's decimal and thousands separators for the current language (``", "`` in ru)."""
    lang = current_language()
    return get_decimal_symbol(lang) + get_group_symbol(lang)


def percent_text(value: float) -> str:
    """A share as the reader writes a percentage: ``26%`` (en, zh), ``26 %`` (ru)."""
    return format_percent(value)


def percent_axis(top: float = 1.0, step: float = 0.2) -> dict[str, Any]:
    """Tick settings for a share axis from 0 to ``top``.

    ``tickformat`` is plotly's own percentage (``26%``); where the language writes a
    percentage differently (Russian puts a space before the sign), the ticks are given as
    text in the language's own style.
    """
    axis: dict[str, Any] = {"tickformat": ".0%"}
    if percent_text(0.5) != "50%":
        values = [round(n * step, 4) for n in range(round(top / step) + 1)]
        axis |= {
            "tickmode": "array",
            "tickvals": values,
            "ticktext": [percent_text(v) for v in values],
        }
    return axis


def chart_layout(title: str, x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    """A chart's layout: its title and axis titles, the language's separators, the
    template and margins, with ``extra`` settings merged in."""
    layout: dict[str, Any] = {
        "separators": separators(),
        "template": TEMPLATE,
        "title": {"text": title},
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def kind_label(kind: str) -> str:
    """A strategy kind as the legend names it, with its clause."""
    return {"fundamental": _("Fundamental (VI-3.1)"), "supporting": _("Supporting (VI-3.2)")}.get(
        kind, kind
    )
