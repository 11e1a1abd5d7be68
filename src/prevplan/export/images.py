"""Plotly figures as PNG images for the printed report, through kaleido and Chromium.

Each kaleido call normally starts a browser (about 2 s); kaleido's sync server keeps one
browser for the whole process (about 0.15 s per image), so it is started on first use and
left running until the process ends. Even so, the first image waits for the browser to
start, so :class:`ChartJob` draws the charts in a worker thread while the report's
text is laid out; every chart's printed size is known before it is drawn, so the layout can
leave room for it and the image is placed when it is ready.

Two things kaleido does not guard against are guarded here: without a browser its server
thread dies and every later call waits forever, so the browser is looked for first; and its
one server answers through one shared queue, so calls from several threads (two reports at
once in the app) are made one at a time.

The figures are the dashboard's own (:mod:`prevplan.analytics.charts`); only their size,
base font and clipping are adapted to paper.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import queue
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import kaleido
import plotly.graph_objects as go

from prevplan.i18n import _, format_number
from prevplan.problems import Problem, ProblemsError

PRINT_WIDTH_PX: Final = 900
"""Layout width of a chart; printed 174 mm wide, a 15 px font is about 8 pt on paper."""
PRINT_FONT_PX: Final = 15
PRINT_SCALE: Final = 2
"""Pixels per layout pixel: 1800 px across 174 mm is about 260 dpi, sharp in print."""
DEFAULT_HEIGHT_PX: Final = 520
CHART_TIMEOUT_S: Final = 120.0
"""How long the report waits for its charts before saying the browser is stuck."""
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
        printed.update_xaxes(tickangle=0, tickfont={"size": PRINT_FONT_PX - 4})
    return printed


# kaleido's sync server is one per process and answers calls through one shared queue: two
# threads calling it at once could each receive the other's image. Every call holds this.
_KALEIDO: Final = threading.Lock()


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


def _no_browser(why: str) -> ProblemsError:
    return ProblemsError(
        [
            Problem(
                "charts",
                "",
                "",
                _(
                    "could not draw the charts ({reason}); prevplan needs Chromium: install "
                    "the Debian package chromium, or point BROWSER_PATH at a Chrome or Chromium"
                ).format(reason=why),
            )
        ]
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_BROWSER_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "chrome")


def _find_browser() -> str | None:
    """The browser kaleido will use: its driver's own search, else ``BROWSER_PATH``/PATH."""
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:  # kaleido's browser driver moved: look where it used to look
        found = (shutil.which(name) for name in _BROWSER_NAMES)
        return os.environ.get("BROWSER_PATH") or next((p for p in found if p), None)
    return Chromium.find_browser(skip_local=False)


def browser_problem() -> ProblemsError | None:
    """Why kaleido would find no browser, or ``None``.

    Asked before kaleido's server starts: when its browser is missing, the server's thread
    dies and every later call waits for an answer that never comes.
    """
    try:
        path = _find_browser()
    except Exception as exc:  # a broken installation says so in many ways
        return _no_browser(_first_line(exc))
    if not path:
        return _no_browser(_("no Chrome or Chromium found"))
    if not Path(path).is_file():
        return _no_browser(_("no browser at {path}").format(path=path))
    return None


def chart_pngs(figures: Mapping[str, go.Figure]) -> dict[str, ChartImage]:
    """Every figure rendered for print, by the same names.

    A missing or failing browser raises :class:`ProblemsError` with one clear line.
    """
    return _render_all({name: for_print(figure) for name, figure in figures.items()})


def _render_all(printed: Mapping[str, go.Figure]) -> dict[str, ChartImage]:
    problem = browser_problem()
    if problem is not None:
        raise problem
    try:
        with _KALEIDO:
            _start_server()
            return {name: _render(figure) for name, figure in printed.items()}
    except Exception as exc:  # kaleido/choreographer raise many kinds; all mean "no charts"
        raise _no_browser(_first_line(exc)) from exc


class ChartJob:
    """Charts drawn in a worker thread while the caller lays out the rest of the report.

    Created first, it starts the browser at once (the slow part); :meth:`draw` then hands
    it the figures, whose printed sizes are known at once (:attr:`aspects`), and
    :meth:`images` waits for them. The worker is a daemon thread: should the browser hang,
    :meth:`images` gives up after ``timeout`` seconds and the process can still exit.
    """

    def __init__(self, timeout: float = CHART_TIMEOUT_S) -> None:
        self.aspects: dict[str, float] = {}
        self.timeout = timeout
        self._figures: queue.Queue[dict[str, go.Figure]] = queue.Queue(maxsize=1)
        self._done: queue.Queue[dict[str, ChartImage] | ProblemsError] = queue.Queue(maxsize=1)
        self._drawing = False
        # In the caller's context: a problem the worker finds speaks the caller's language.
        threading.Thread(
            target=contextvars.copy_context().run,
            args=(self._work,),
            name="prevplan-charts",
            daemon=True,
        ).start()

    def _work(self) -> None:
        _warm_up()
        printed = self._figures.get()
        try:
            self._done.put(_render_all(printed))
        except ProblemsError as err:
            self._done.put(err)

    def draw(self, figures: Mapping[str, go.Figure]) -> None:
        printed = {name: for_print(figure) for name, figure in figures.items()}
        self.aspects = {
            name: int(f.layout.height) / int(f.layout.width) for name, f in printed.items()
        }
        self._figures.put(printed)
        self._drawing = True

    def images(self) -> dict[str, ChartImage]:
        """Wait for the charts; raise :class:`ProblemsError` if they could not be drawn."""
        if not self._drawing:
            return {}
        try:
            result = self._done.get(timeout=self.timeout)
        except queue.Empty:
            raise _no_browser(
                _("Chromium did not answer within {seconds} s; try again").format(
                    seconds=format_number(self.timeout, decimals=0)
                )
            ) from None
        if isinstance(result, ProblemsError):
            raise result
        return result


def _warm_up() -> None:
    """Start the browser with a blank chart, so the first real one does not wait for it."""
    if browser_problem() is not None:
        return  # said by the real charts; kaleido's server must not start without a browser
    # Any other failure here is reported by the real charts, with their message.
    with contextlib.suppress(Exception), _KALEIDO:
        _start_server()
        kaleido.calc_fig_sync(
            go.Figure().to_dict(), opts={"format": "png", "width": 10, "height": 10}
        )


def warm_up_in_background() -> None:
    """Start the chart browser now, in a daemon thread, for a report made a little later.

    For callers that know early that a PDF is coming (``prevplan export --format pdf``
    before it reads the rules and the plan); :func:`plan_report_pdf` does it anyway.
    """
    threading.Thread(target=_warm_up, name="prevplan-charts-warm-up", daemon=True).start()
