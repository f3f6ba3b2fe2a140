"""The ``attract`` context: smart investment attraction (智能招商) for a district investment officer.

Its four modules follow the seed's 智能招商平台 (「招商标的精准推荐、招商项目动态跟踪、招商标的监测预警、招商项目过程管理」):

- targets: which fields and chain segments a district should court (relatedness in the economic-complexity way,
  complexity outlook gain, chain gaps) and which firms outside it to approach, every score with its inputs and
  rule, and a backtest against what later happened;
- projects: the project pipeline of a 招商 office (stages, owners, history, funnel, Excel ledger import/export);
- alerts: watch lists of targets and anchor firms, alerts computed from each new version of a register.
"""

from industry_brain.attract._alert_kinds import ALERT_KINDS, DEFAULT_MONTHS, SEVERITY
from industry_brain.attract._alerts import (
    Alert,
    AlertRun,
    alert_feed,
    alert_runs,
    alerts_after_import,
    compute_alerts,
    count_alerts,
    find_alerts,
    get_alert,
    list_alerts,
    mark_read,
    version_pair,
)
from industry_brain.attract._backtest import PRESENCE, BacktestResult, backtest, backtests, save_backtest
from industry_brain.attract._candidates import WEIGHTS as FIRM_WEIGHTS
from industry_brain.attract._candidates import firm_targets
from industry_brain.attract._complexity import (
    Complexity,
    Stability,
    complexity,
    density,
    outlook,
    presence,
    proximity,
    rca,
    stability,
)
from industry_brain.attract._demo_projects import load_demo_projects
from industry_brain.attract._funnel import funnel
from industry_brain.attract._ledger import HEADERS as LEDGER_HEADERS
from industry_brain.attract._ledger import (
    LedgerImport,
    export_ledger,
    import_ledger,
    ledger_bytes,
    ledger_problems,
    ledger_rows,
)
from industry_brain.attract._panel import LEVELS, UNIT_KINDS, Panel, proximity_panel, read_counts
from industry_brain.attract._projects import (
    EDITABLE,
    Project,
    add_project,
    describe_project,
    edit_project,
    get_project,
    history,
    list_projects,
    move_project,
    project_detail,
)
from industry_brain.attract._stages import Move, Stage, StageRules, parse_stage_rules, stage_rules
from industry_brain.attract._targets import (
    DEFAULT_PRESET,
    PRESETS,
    AllTargets,
    Preset,
    Space,
    all_targets,
    field_targets,
    segment_targets,
)
from industry_brain.attract._watch import (
    WATCH_KINDS,
    WatchImport,
    WatchItem,
    add_anchors,
    add_to_watch,
    anchor_candidates,
    district_of,
    get_watch_item,
    import_watch,
    remove_from_watch,
    watch_kind,
    watch_list,
    watch_problems,
)
from industry_brain.attract._watch_demo import load_demo_watch

__all__: list[str] = [
    "ALERT_KINDS",
    "DEFAULT_MONTHS",
    "DEFAULT_PRESET",
    "EDITABLE",
    "FIRM_WEIGHTS",
    "LEDGER_HEADERS",
    "LEVELS",
    "PRESENCE",
    "PRESETS",
    "SEVERITY",
    "UNIT_KINDS",
    "WATCH_KINDS",
    "Alert",
    "AlertRun",
    "AllTargets",
    "BacktestResult",
    "Complexity",
    "LedgerImport",
    "Move",
    "Panel",
    "Preset",
    "Project",
    "Space",
    "Stability",
    "Stage",
    "StageRules",
    "WatchImport",
    "WatchItem",
    "add_anchors",
    "add_project",
    "add_to_watch",
    "alert_feed",
    "alert_runs",
    "alerts_after_import",
    "all_targets",
    "anchor_candidates",
    "backtest",
    "backtests",
    "complexity",
    "compute_alerts",
    "count_alerts",
    "density",
    "describe_project",
    "district_of",
    "edit_project",
    "export_ledger",
    "field_targets",
    "find_alerts",
    "firm_targets",
    "funnel",
    "get_alert",
    "get_project",
    "get_watch_item",
    "history",
    "import_ledger",
    "import_watch",
    "ledger_bytes",
    "ledger_problems",
    "ledger_rows",
    "list_alerts",
    "list_projects",
    "load_demo_projects",
    "load_demo_watch",
    "mark_read",
    "move_project",
    "outlook",
    "parse_stage_rules",
    "presence",
    "project_detail",
    "proximity",
    "proximity_panel",
    "rca",
    "read_counts",
    "remove_from_watch",
    "save_backtest",
    "segment_targets",
    "stability",
    "stage_rules",
    "version_pair",
    "watch_kind",
    "watch_list",
    "watch_problems",
]
