"""Plotly figures as PNG images for the printed report, through kaleido and Chromium.

Each kaleido call normally starts a browser (about 2 s); kaleido's sync server keeps one
browser for the whole process (about 0.15 s per image), so it is started on first use and
left running until the process ends. Even so, the first image waits for the browser to
start, so :func:`render_in_background` draws the charts in a worker thread while the report's
text is laid out; every chart's printed size is known before it is drawn, so the layout can
leave room for it and the image is placed when it is ready.

The figures are the dashboard's own (:mod:`prevplan.analytics.charts`); only their size,
base font and clipping are adapted to paper.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import kaleido
import plotly.graph_objects as go

from prevplan.problems import Problem, ProblemsError

PRINT_WIDTH_PX: Final = 900
"""Layout width of a chart; printed 174 mm wide, a 15 px font is about 8 pt on paper."""
PRINT_FONT_PX: Final = 15
PRINT_SCALE: Final = 2
"""Pixels per layout pixel: 1800 px across 174 mm is about 260 dpi, sharp in print."""
DEFAULT_HEIGHT_PX: Final = 520
PRINT_FONT_FAMILY: Final = "DejaVu Sans, Noto Sans CJK SC, sans-serif"
"""The report's own typefaces, so charts and text match; Chromium finds them on the system."""


@dataclass(frozen=True)
class ChartImage:
    """One chart rendered for print: PNG bytes and the layout size it was drawn at."""

    png: bytes
    width_px: int
    height_px: int


def for_print(figure: go.Figure, width_px: int = PRINT_WIDTH_PX) -> go.Figure:
    """A copy of ``figure`` sized and lettered for paper (the original is not changed)."""
    printed = go.Figure(figure)
    printed.update_layout(
        width=width_px,
        height=int(printed.layout.height or DEFAULT_HEIGHT_PX),
        font={"size": PRINT_FONT_PX, "family": PRINT_FONT_FAMILY},
        title={"font": {"size": PRINT_FONT_PX + 3}},
        paper_bgcolor="white",
    )
    # Value labels printed outside a bar must not be cut off at the plot's edge.
    printed.update_traces(cliponaxis=False, selector={"type": "bar"})
    if any(trace.type == "heatmap" for trace in printed.data):
        # Category labels are already broken into lines; tilted, they would collide.
        printed.update_xaxes(tickangle=0, tickfont={"size": PRINT_FONT_PX - 2})
    return printed


def _start_server() -> None:
    # A no-op when already running. No MathJax: the charts use no formulas, and kaleido
    # would otherwise fetch it from a CDN each time the browser starts.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def _render(figure: go.Figure) -> ChartImage:
    width = int(figure.layout.width)
    height = int(figure.layout.height)
    # kaleido directly rather than ``figure.to_image``: plotly passes per-call browser
    # options that a running sync server cannot take, and warns about it on every call.
    png: Any = kaleido.calc_fig_sync(
        figure.to_dict(),
        opts={"format": "png", "width": width, "height": height, "scale": PRINT_SCALE},
    )
    return ChartImage(bytes(png), width, height)


def _no_browser(exc: BaseException) -> ProblemsError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ProblemsError(
        [
            Problem(
                "charts",
                "",
                "",
                f"could not draw the charts ({first}); prevplan needs Chromium: install the "
                "Debian package chromium, or point BROWSER_PATH at a Chrome or Chromium",
            )
        ]
    )


def chart_pngs(figures: Mapping[str, go.Figure]) -> dict[str, ChartImage]:
    """Every figure rendered for print, by the same names.

    A missing or failing browser raises :class:`ProblemsError` with one clear line.
    """
    return _render_all({name: for_print(figure) for name, figure in figures.items()})


def _render_all(printed: Mapping[str, go.Figure]) -> dict[str, ChartImage]:
    try:
        _start_server()
        return {name: _render(figure) for name, figure in printed.items()}
    except Exception as exc:  # kaleido/choreographer raise many kinds; all mean "no charts"
        raise _no_browser(exc) from exc


class ChartJob:
    """Charts drawn in a worker thread while the caller lays out the rest of the report.

    Created first, it starts the browser at once (the slow part); :meth:`draw` then queues
    the figures, whose printed sizes are known at once (:attr:`aspects`), and
    :meth:`images` waits for them.
    """

    def __init__(self) -> None:
        self.aspects: dict[str, float] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prevplan-charts")
        self._pool.submit(_warm_up)
        self._future: Future[dict[str, ChartImage]] | None = None

    def draw(self, figures: Mapping[str, go.Figure]) -> None:
        printed = {name: for_print(figure) for name, figure in figures.items()}
        self.aspects = {
            name: int(f.layout.height) / int(f.layout.width) for name, f in printed.items()
        }
        self._future = self._pool.submit(_render_all, printed)
        self._pool.shutdown(wait=False)

    def images(self) -> dict[str, ChartImage]:
        """Wait for the charts; raise what drawing them raised."""
        if self._future is None:
            return {}
        return self._future.result()


def _warm_up() -> None:
    """Start the browser with a blank chart, so the first real one does not wait for it."""
    # A failure here (no browser) is reported by the real charts, with their message.
    with contextlib.suppress(Exception):
        _start_server()
        kaleido.calc_fig_sync(
            go.Figure().to_dict(), opts={"format": "png", "width": 10, "height": 10}
        )


def render_in_background(figures: Mapping[str, go.Figure]) -> ChartJob:
    """Start drawing ``figures`` for print; collect them with :meth:`ChartJob.images`."""
    job = ChartJob()
    job.draw(figures)
    return job
