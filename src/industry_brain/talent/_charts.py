"""Charts of the report: the magazine's figures 1-9 and the outlook index, drawn with matplotlib in Noto Sans CJK.

Each chart is described by a plain *spec* dict (kind, title, labels, series, values in percent, note) that the
report builds from the statistics; :func:`render` draws a spec to PNG. Specs are JSON-ready, so the web page
can draw the same charts in the browser and tests can pin them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_FAMILY = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "DejaVu Sans"]
COLOURS = ["#2F5597", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E", "#636363"]


def _setup() -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = FONT_FAMILY
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["pdf.fonttype"] = 42


def cjk_figure(figsize: tuple[float, float] = (8, 5)) -> Any:
    """A matplotlib figure whose text renders Chinese."""
    _setup()
    import matplotlib.pyplot as plt

    return plt.figure(figsize=figsize)


def _empty(spec: dict[str, Any]) -> bool:
    if spec["kind"] == "grouped_barh":
        values = [v for s in spec["series"] for v in s["values"]]
    else:
        values = list(spec.get("values") or [])
    return not spec["labels"] or not any(v for v in values if v is not None)


def render(spec: dict[str, Any], path: Path) -> Path:
    """Draw one chart spec to a PNG file."""
    import matplotlib.pyplot as plt

    kind = spec["kind"]
    height = 5.0
    if kind == "grouped_barh":
        height = max(5.0, 0.42 * len(spec["labels"]) + 1.8)
    fig = cjk_figure((9, height))
    ax = fig.add_subplot(111)
    labels = spec["labels"]
    if _empty(spec):
        # nothing answered yet: an honest empty chart rather than a failure of the whole report
        ax.text(0.5, 0.5, "无数据（no data）", ha="center", va="center", fontsize=14, color="#777777")
        ax.axis("off")
    elif kind == "pie":
        values = [v or 0 for v in spec["values"]]
        _wedges, _texts, autotexts = ax.pie(
            values,
            labels=[f"{lab}" for lab in labels],
            autopct="%1.0f%%",
            startangle=90,
            counterclock=False,
            colors=COLOURS[: len(values)],
            pctdistance=0.75,
            textprops={"fontsize": 10},
        )
        for t in autotexts:
            t.set_color("white")
        ax.axis("equal")
    elif kind in ("bar", "barh"):
        values = [v or 0 for v in spec["values"]]
        lows, highs = spec.get("low"), spec.get("high")
        err = None
        if lows and highs:
            err = [
                [max(0, v - lo) for v, lo in zip(values, lows, strict=True)],
                [max(0, hi - v) for v, hi in zip(values, highs, strict=True)],
            ]
        if kind == "bar":
            bars = ax.bar(labels, values, color=COLOURS[0], yerr=err, capsize=4)
            ax.set_ylabel(spec.get("unit", "%"))
            ax.set_ylim(
                0, max(100 if spec.get("unit", "%") == "%" else 0, max(values) * 1.15 if values else 1)
            )
        else:
            bars = ax.barh(labels, values, color=COLOURS[0], xerr=err, capsize=3)
            ax.invert_yaxis()
            ax.set_xlabel(spec.get("unit", "%"))
            ax.set_xlim(0, 100 if spec.get("unit", "%") == "%" else max(values) * 1.15)
        for bar, v in zip(bars, values, strict=True):
            if kind == "bar":
                ax.annotate(
                    f"{v:.0f}%",
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
            else:
                ax.annotate(
                    f"{v:.0f}%",
                    (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    va="center",
                    fontsize=8,
                    xytext=(3, 0),
                    textcoords="offset points",
                )
    elif kind == "grouped_barh":
        import numpy as np

        series = spec["series"]
        y = np.arange(len(labels))
        h = 0.8 / len(series)
        for i, s in enumerate(series):
            vals = [v or 0 for v in s["values"]]
            pos = y + (i - (len(series) - 1) / 2) * h
            ax.barh(pos, vals, height=h, label=s["name"], color=COLOURS[i % len(COLOURS)])
            for p, v in zip(pos, vals, strict=True):
                ax.annotate(
                    f"{v:.0f}%", (v, p), va="center", fontsize=6.5, xytext=(2, 0), textcoords="offset points"
                )
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("%")
        ax.legend(loc="lower right", fontsize=9)
    elif kind == "interval":
        values = spec["values"]
        lows, highs = spec["low"], spec["high"]
        xs = range(len(labels))
        for i, (v, lo, hi) in enumerate(zip(values, lows, highs, strict=True)):
            if v is None:
                continue
            ax.errorbar([i], [v], yerr=[[v - lo], [hi - v]], fmt="o", color=COLOURS[0], capsize=6)
            ax.annotate(
                f"{v:+.0f}\n[{lo:+.0f}, {hi:+.0f}]",
                (i, hi),
                ha="center",
                va="bottom",
                fontsize=9,
                xytext=(0, 4),
                textcoords="offset points",
            )
        ax.set_xticks(list(xs), labels)
        ax.set_xlim(-0.6, len(labels) - 0.4)
        ax.set_ylim(min([0, *[lo for lo in lows if lo is not None]]) - 5, 100)
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.set_ylabel(spec.get("unit", "百分点"))
    else:
        raise ValueError(f"unknown chart kind {kind!r}")
    # a pie's outer labels reach above the axes: keep the title clear of them
    ax.set_title(spec["title"], fontsize=12, pad=22 if kind == "pie" else 6)
    if kind != "pie" and not _empty(spec):
        ax.spines[["top", "right"]].set_visible(False)
    note = spec.get("note")
    if note:
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05 if note else 0, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
