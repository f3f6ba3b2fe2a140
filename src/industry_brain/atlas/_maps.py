"""Choropleths of the Future Industry Map: static SVG/PNG (matplotlib + shapely) and offline HTML (Plotly).

One map per layer: all enterprises, each field, each future industry; for the 2019 units or the 2021 districts
(boundaries from ``geo``, GCJ-02, simplified — illustrative only). Every map carries its title, the statistical
basis, a legend with class ranges, each unit's name and count, and the note
「示意图 · 行政区划 2019 年版 · 仅供参考」 ("Illustrative map · 2019 divisions · for reference only").

Class breaks (mapclassify): Fisher–Jenks natural breaks (``FisherJenks``, exact optimum) into up to
:data:`CLASSES` classes when there are more distinct values than classes; otherwise one class per distinct
value. Zero is always its own class (drawn pale grey, "0"), so an empty unit never looks like a small one.

Chinese text: the Noto Sans CJK font file is registered with matplotlib explicitly (:func:`cjk_font`); SVGs keep
text as text (``svg.fonttype = none``) with the font family named, so they stay searchable.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from industry_brain._core.errors import InputError, InternalError
from industry_brain.atlas._labels import field_name, future_name, unit_name
from industry_brain.atlas._measures import Measures

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

CLASSES = 5
_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
)
_PALETTE = ["#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
_ZERO = "#f2f2f2"


@cache
def cjk_font() -> str:
    """Register Noto Sans CJK with matplotlib and return its family name."""
    from matplotlib import font_manager

    for path in _FONT_CANDIDATES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return "Noto Sans CJK SC"
    for f in font_manager.fontManager.ttflist:
        if "CJK" in f.name:
            return str(f.name)
    raise InternalError(
        "no CJK font found: install fonts-noto-cjk (Noto Sans CJK) to draw maps with Chinese text"
    )


@dataclass(frozen=True)
class Layer:
    """What a map shows: ``kind`` all / field / future, ``code`` the field or future-industry code."""

    kind: str
    code: str | None = None

    @property
    def slug(self) -> str:
        return "all" if self.kind == "all" else f"{self.kind}-{self.code}"


def parse_layer(text: str | None, m: Measures) -> Layer:
    """``all`` / ``10`` (a field code) / ``future:ai``."""
    if text in (None, "", "all"):
        return Layer("all")
    assert text is not None
    if text.startswith("future:"):
        code = text.split(":", 1)[1]
        if code not in m.future_codes:
            raise InputError(
                f"unknown future industry {code!r}, expected one of {m.future_codes!r}", field="layer"
            )
        return Layer("future", code)
    if text not in m.fields:
        raise InputError(
            f"unknown layer {text!r}, expected 'all', a field code ({', '.join(m.fields)}) or "
            "'future:<code>'",
            field="layer",
        )
    return Layer("field", text)


def layer_values(m: Measures, layer: Layer) -> np.ndarray:
    if layer.kind == "all":
        return m.unit_totals.astype(np.int64)
    if layer.kind == "field":
        return m.counts[:, m.field_index(layer.code or "")].astype(np.int64)
    assert m.future is not None
    return m.future[:, m.future_codes.index(layer.code or "")].astype(np.int64)


def class_breaks(values: np.ndarray, k: int = CLASSES) -> list[int]:
    """Upper bounds of the classes of the non-zero values (natural breaks; see the module docstring)."""
    nz = np.asarray(values)[np.asarray(values) > 0]
    distinct = np.unique(nz)
    if distinct.size == 0:
        return []
    if distinct.size <= k:
        return [int(v) for v in distinct]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed": the pure-Python path is exact, only slower
        import mapclassify

        bins = mapclassify.FisherJenks(nz.astype(float), k=k).bins
    return sorted({int(np.ceil(b)) for b in bins})


def classify(values: np.ndarray, breaks: list[int]) -> np.ndarray:
    """Class of each value: 0 for zero, 1..len(breaks) for the non-zero classes."""
    out = np.zeros(len(values), dtype=int)
    for i, v in enumerate(values):
        if v > 0:
            out[i] = 1 + int(np.searchsorted(np.asarray(breaks), v, side="left"))
    return out


def _colours(n: int) -> list[str]:
    if n <= 0:
        return []
    idx = np.linspace(1, len(_PALETTE) - 1, n).round().astype(int) if n > 1 else np.array([3])
    return [_PALETTE[i] for i in idx]


def _legend_labels(breaks: list[int], lang: str) -> list[str]:
    labels, low = [], 1
    for b in breaks:
        labels.append(f"{low}" if low == b else f"{low}–{b}")
        low = b + 1
    return labels


def titles(m: Measures, layer: Layer, lang: str, shown: int | None = None) -> tuple[str, str]:
    """(title, subtitle with the basis) of a map."""
    en = lang == "en"
    hightech = bool(m.basis.get("hightech_only", True))
    subj = (
        ("national high-tech enterprises" if hightech else "enterprises")
        if en
        else ("国家高新技术企业" if hightech else "企业")
    )
    if layer.kind == "all":
        what = subj if en else f"{subj}数量"
    elif layer.kind == "field":
        what = (
            f"{field_name(layer.code or '', lang)}: {subj}"
            if en
            else f"{field_name(layer.code or '', lang)}领域{subj}数量"
        )
    else:
        what = (
            f"{future_name(layer.code or '', lang)}: {subj}"
            if en
            else f"{future_name(layer.code or '', lang)}（未来产业）{subj}数量"
        )
    title = f"Hangzhou — {what} by district" if en else f"杭州市{what}分布"
    year = m.basis.get("year")
    shown = m.total if shown is None else shown
    basis = (
        f"Basis: {subj}"
        + (f", certificates valid at end of {year}" if year else "")
        + f"; on this map {shown:,}"
        if en
        else f"口径：{subj}" + (f"（{year}年末有效）" if year else "") + f"；本图合计{shown}家"
    )
    if m.apportioned_total:
        basis += (
            f"; {m.apportioned_total} apportioned from split districts"
            if en
            else f"；其中{m.apportioned_total}家按比例分摊至拆分区"
        )
    return title, basis


def note(m: Measures, lang: str) -> str:
    if lang == "en":
        return f"Illustrative map · {m.vintage} administrative divisions · for reference only"
    return f"示意图 · 行政区划 {m.vintage} 年版 · 仅供参考"


def _shapes(vintage: int) -> dict[str, Any]:
    from shapely.geometry import shape

    from industry_brain.geo import boundaries

    return {f["properties"]["code"]: shape(f["geometry"]) for f in boundaries(vintage)["features"]}


def _patches(geom: Any) -> list[Any]:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    out = []
    for p in polys:
        verts: list[tuple[float, float]] = []
        codes: list[np.uint8] = []
        for ring in [p.exterior, *p.interiors]:
            xy = list(ring.coords)
            verts += xy
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(xy) - 2) + [MPath.CLOSEPOLY]
        out.append(PathPatch(MPath(verts, codes)))
    return out


_CENTRE = ("330102", "330103", "330104", "330105", "330106", "330108")


def _bounds(geoms: Any) -> tuple[float, float, float, float]:
    gs = list(geoms)
    return (
        min(g.bounds[0] for g in gs),
        min(g.bounds[1] for g in gs),
        max(g.bounds[2] for g in gs),
        max(g.bounds[3] for g in gs),
    )


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _paint(
    ax: Any,
    m: Measures,
    shapes: dict[str, Any],
    classes: np.ndarray,
    colours: list[str],
    *,
    skip_labels: set[str],
    values: np.ndarray,
    breaks: list[int],
    lang: str,
    font: str,
    size: float,
) -> None:
    for i, u in enumerate(m.units):
        geom = shapes.get(u)
        if geom is None:
            log.warning("no boundary for unit %s in vintage %s", u, m.vintage)
            continue
        for patch in _patches(geom):
            patch.set_facecolor(colours[classes[i]])
            patch.set_edgecolor("#555555")
            patch.set_linewidth(0.6)
            ax.add_patch(patch)
        if u in skip_labels:
            continue
        pt = geom.representative_point()
        dark = _luminance(colours[classes[i]]) < 0.45
        name = unit_name(u, m.vintage, lang).replace(" District", "").replace(" County", "")
        ax.text(
            pt.x,
            pt.y,
            f"{name}\n{int(values[i])}",
            ha="center",
            va="center",
            fontsize=size,
            family=font,
            color="white" if dark else "#1a1a1a",
            linespacing=1.1,
        )


def draw(m: Measures, layer: Layer | str | None = None, lang: str = "zh-CN") -> Figure:
    """A matplotlib figure of one layer (not shown; save it with :func:`save_static`)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    lay = layer if isinstance(layer, Layer) else parse_layer(layer, m)
    font = cjk_font()
    matplotlib.rcParams["svg.fonttype"] = "none"
    values = layer_values(m, lay)
    breaks = class_breaks(values)
    classes = classify(values, breaks)
    colours = [_ZERO, *_colours(len(breaks))]
    shapes = _shapes(m.vintage)
    fig = Figure(figsize=(8.6, 8.2), dpi=110)
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.78))
    ax.set_aspect(1 / np.cos(np.radians(30.0)))
    ax.set_axis_off()
    centre = [u for u in _CENTRE if u in shapes and u in m.units]
    _paint(
        ax,
        m,
        shapes,
        classes,
        colours,
        skip_labels=set(centre),
        values=values,
        breaks=breaks,
        lang=lang,
        font=font,
        size=8,
    )
    minx, miny, maxx, maxy = _bounds(shapes.values())
    ax.set_xlim(minx - 0.02, maxx + 0.02)
    ax.set_ylim(miny - 0.02, maxy + 0.02)
    if centre:
        # the city centre is too small to label on the whole map: an inset enlarges it (bottom right)
        cx0, cy0, cx1, cy1 = _bounds(shapes[u] for u in centre)
        pad = 0.01
        from matplotlib.patches import Rectangle

        ax.add_patch(
            Rectangle(
                (cx0 - pad, cy0 - pad),
                cx1 - cx0 + 2 * pad,
                cy1 - cy0 + 2 * pad,
                fill=False,
                edgecolor="#c0392b",
                linewidth=0.9,
            )
        )
        inset = fig.add_axes((0.64, 0.11, 0.34, 0.36))
        inset.set_aspect(1 / np.cos(np.radians(30.0)))
        inset.set_xticks([])
        inset.set_yticks([])
        for side in inset.spines.values():
            side.set_edgecolor("#c0392b")
        _paint(
            inset,
            m,
            shapes,
            classes,
            colours,
            skip_labels=set(m.units) - set(centre),
            values=values,
            breaks=breaks,
            lang=lang,
            font=font,
            size=7.5,
        )
        inset.set_xlim(cx0 - pad, cx1 + pad)
        inset.set_ylim(cy0 - pad, cy1 + pad)
        inset.set_title("主城区" if lang != "en" else "City centre", fontsize=8, family=font, color="#c0392b")
    title, basis = titles(m, lay, lang, int(values.sum()))
    fig.text(0.5, 0.955, title, ha="center", va="center", fontsize=14, family=font, weight="bold")
    fig.text(0.5, 0.915, basis, ha="center", va="center", fontsize=8.5, family=font, color="#444444")
    handles = [Patch(facecolor=_ZERO, edgecolor="#555555", label="0")] if (values == 0).any() else []
    handles += [
        Patch(facecolor=col, edgecolor="#555555", label=lab)
        for col, lab in zip(colours[1:], _legend_labels(breaks, lang), strict=True)
    ]
    if handles:
        unit = "enterprises" if lang == "en" else "家"
        leg = ax.legend(
            handles=handles, title=unit, loc="lower left", prop={"family": font, "size": 8}, frameon=False
        )
        leg.get_title().set_fontfamily(font)
        leg.get_title().set_fontsize(8)
    fig.text(0.5, 0.04, note(m, lang), ha="center", fontsize=9, family=font, color="#666666")
    fig.text(
        0.98,
        0.015,
        "Boundaries: GCJ-02, simplified" if lang == "en" else "边界：GCJ-02，已简化",
        ha="right",
        fontsize=6.5,
        family=font,
        color="#888888",
    )
    return fig


def save_static(fig: Figure, path: Path) -> Path:
    """Write a figure as ``.png`` or ``.svg`` (by suffix)."""
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InputError(f"cannot write a map as {path.name!r}, expected a .png or .svg file", file=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format=suffix[1:], dpi=150 if suffix == ".png" else None)
    return path


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def interactive_html(m: Measures, layer: Layer | str | None = None, lang: str = "zh-CN") -> str:
    """A self-contained HTML page (plotly.js embedded, no CDN, no tile or topojson fetch): polygons are drawn as
    filled scatter traces on plain axes, so the page works offline."""
    import plotly.graph_objects as go

    lay = layer if isinstance(layer, Layer) else parse_layer(layer, m)
    values = layer_values(m, lay)
    breaks = class_breaks(values)
    classes = classify(values, breaks)
    colours = [_ZERO, *_colours(len(breaks))]
    legend = ["0", *_legend_labels(breaks, lang)]
    shapes = _shapes(m.vintage)
    title, basis = titles(m, lay, lang, int(values.sum()))
    fig = go.Figure()
    shown_classes: set[int] = set()
    for i, u in enumerate(m.units):
        geom = shapes.get(u)
        if geom is None:
            continue
        name = unit_name(u, m.vintage, lang)
        xs: list[float | None] = []
        ys: list[float | None] = []
        for poly in list(geom.geoms) if hasattr(geom, "geoms") else [geom]:
            x, y = poly.exterior.coords.xy
            xs += [*x, None]
            ys += [*y, None]
        c = int(classes[i])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=colours[c],
                mode="lines",
                line={"color": "#555555", "width": 0.8},
                name=legend[c],
                legendgroup=str(c),
                legendrank=c,
                showlegend=c not in shown_classes,
                hoveron="fills",
                text=f"{name}: {int(values[i])}",
                hoverinfo="text",
            )
        )
        shown_classes.add(c)
        pt = geom.representative_point()
        fig.add_annotation(
            x=pt.x,
            y=pt.y,
            text=f"{name}<br>{int(values[i])}",
            showarrow=False,
            font={
                "size": 7 if u in _CENTRE else 10,
                "color": "white" if _luminance(colours[c]) < 0.45 else "#1a1a1a",
            },
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / float(np.cos(np.radians(30.0))))
    fig.update_layout(
        title={"text": f"{title}<br><sub>{basis}</sub>", "x": 0.5},
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 80, "b": 50},
        height=700,
        legend_title_text="enterprises" if lang == "en" else "家",
        legend={"traceorder": "normal"},
        annotations=[
            *fig.layout.annotations,
            {
                "text": note(m, lang),
                "showarrow": False,
                "x": 0.5,
                "y": -0.05,
                "xref": "paper",
                "yref": "paper",
                "font": {"size": 12, "color": "#666666"},
            },
        ],
        font={"family": "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"},
    )
    from html import escape

    page = str(fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}))
    page = page.replace("<head>", f"<head>\n    <title>{escape(title)}</title>", 1)
    caption = (
        f'<p style="font-family:sans-serif;color:#666;text-align:center;margin:4px">{escape(note(m, lang))}'
        f" · {escape(basis)}</p>"
    )
    return page.replace("</body>", caption + "\n</body>", 1).replace("<html>", f'<html lang="{lang}">', 1)


def write_map_set(
    m: Measures,
    out: Path,
    layer: Layer | str | None = None,
    lang: str = "zh-CN",
    formats: tuple[str, ...] = ("png", "svg", "html"),
) -> dict[str, Path]:
    """Write one layer as ``<vintage>-<layer>.<fmt>`` files in ``out``; returns format → path."""
    lay = layer if isinstance(layer, Layer) else parse_layer(layer, m)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"map-{m.vintage}-{lay.slug}-{'en' if lang == 'en' else 'zh'}"
    written: dict[str, Path] = {}
    fig = draw(m, lay, lang) if {"png", "svg"} & set(formats) else None
    for fmt in formats:
        path = out / f"{stem}.{fmt}"
        if fmt in ("png", "svg"):
            assert fig is not None
            save_static(fig, path)
        elif fmt == "html":
            path.write_text(interactive_html(m, lay, lang), encoding="utf-8")
        else:
            raise InputError(f"unknown map format {fmt!r}, expected png, svg or html", field="format")
        written[fmt] = path
    return written
