"""The annual scarce-talent survey (紧缺人才调查): definitions, 问卷星 import, indices with intervals, catalogue.

Typical use::

    from industry_brain._core.store import open_store
    from industry_brain import talent

    store = open_store()
    talent.import_responses(store, "导出.xlsx", survey="hangzhou-2018")   # atomic; same file again = no-op
    data = talent.report_data(store, survey="hangzhou-2018")              # JSON-ready dict for pages and APIs
    talent.write_report(store, "out/")                                    # report.html, report.json, figures
    talent.write_catalogue(store, "目录.xlsx")                             # 紧缺专业人才需求目录 (xlsx or pdf)

For a web page: :func:`report_data` returns everything (``outlook``, ``table1``, ``charts`` as chart specs,
``catalogue``, ``checks`` against the published figures, ``inconsistencies``); :func:`catalogue_data` returns
the catalogue alone; :func:`list_batches` and :func:`batch_problems` the import history and quarantine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from industry_brain._core.store import Store
from industry_brain.talent._catalogue import band, shortage_score
from industry_brain.talent._importer import current_batch, import_responses, list_batches
from industry_brain.talent._importer import quarantine as batch_problems
from industry_brain.talent._intervals import (
    Interval,
    MeanSummary,
    implied_n,
    kish_deff,
    mean_t,
    net_outlook,
    newcombe_paired,
    wald_paired,
    wilson,
)
from industry_brain.talent._report import report_data, write_report
from industry_brain.talent._responses import read_responses
from industry_brain.talent._survey import Survey, available_surveys, load_survey, published_figures

__all__ = [
    "Interval",
    "MeanSummary",
    "Survey",
    "available_surveys",
    "band",
    "batch_problems",
    "catalogue_data",
    "current_batch",
    "implied_n",
    "import_responses",
    "kish_deff",
    "list_batches",
    "load_survey",
    "mean_t",
    "net_outlook",
    "newcombe_paired",
    "poststratify",
    "published_figures",
    "read_responses",
    "report_data",
    "shortage_score",
    "synthetic_file",
    "wald_paired",
    "wilson",
    "write_catalogue",
    "write_report",
]


def catalogue_data(
    store: Store, survey: str = "hangzhou-2018", *, batch_id: int | None = None, min_firms: int | None = None
) -> dict[str, Any]:
    """The scarce-post catalogue of a survey's (newest) batch, JSON-ready."""
    from industry_brain.talent._catalogue import MIN_FIRMS, catalogue
    from industry_brain.talent._report import clean
    from industry_brain.talent._statistics import SurveyData

    sv = load_survey(survey)
    bid = current_batch(store, sv.id, batch_id)
    cat = catalogue(SurveyData.load(store, sv, bid), min_firms or MIN_FIRMS)
    return clean({"survey": sv.id, "batch_id": bid, "title_zh": _catalogue_title(sv), **cat})


def _catalogue_title(sv: Survey) -> str:
    return str(sv.meta.get("catalogue_zh") or f"《{sv.zh}紧缺专业人才需求目录》")


def write_catalogue(
    store: Store,
    path: Path | str,
    survey: str = "hangzhou-2018",
    *,
    fmt: str | None = None,
    batch_id: int | None = None,
) -> dict[str, Any]:
    """Write the catalogue as xlsx or pdf (from ``fmt`` or the file's suffix); returns its data and path."""
    from industry_brain._core.errors import InputError
    from industry_brain.talent._catalogue import write_pdf, write_xlsx

    target = Path(path)
    kind = (fmt or target.suffix.lstrip(".")).lower()
    if kind not in ("xlsx", "pdf"):
        raise InputError(f"catalogue format {kind!r}, expected xlsx or pdf", field="format")
    if target.suffix.lower() != f".{kind}":
        target = target.with_suffix(f".{kind}")
    data = catalogue_data(store, survey, batch_id=batch_id)
    batches = {b["batch_id"]: b for b in list_batches(store, data["survey"])}
    synthetic = bool(batches[data["batch_id"]]["synthetic"])
    title = data["title_zh"].strip("《》")
    note = (
        f"口径：问卷调查中至少{data['min_firms']}家企业申报的岗位；紧缺程度按紧缺指数分档。{data['formula_zh']}"
        + ("（本目录基于合成数据，仅供演示。）" if synthetic else "")
    )
    writer = write_xlsx if kind == "xlsx" else write_pdf
    writer(data, target, title, note)
    return {**data, "path": str(target), "format": kind, "synthetic": synthetic}


def poststratify(
    store: Store,
    by: str,
    population: dict[str, float],
    survey: str = "hangzhou-2018",
    *,
    batch_id: int | None = None,
    name: str = "poststrat",
) -> dict[str, Any]:
    """Post-stratification weights on one breakdown (sector, size, ownership) with Kish's design effect."""
    from industry_brain.talent._report import clean
    from industry_brain.talent._statistics import poststratify as _poststratify

    sv = load_survey(survey)
    return clean(_poststratify(store, sv, current_batch(store, sv.id, batch_id), by, population, name))


def synthetic_file() -> Path:
    """The shipped synthetic 问卷星 export of the 2018 Hangzhou survey (every row synthetic)."""
    from importlib import resources

    return Path(str(resources.files("industry_brain.talent") / "_data" / "hangzhou-2018-synthetic.csv"))
