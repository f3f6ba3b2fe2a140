"""The ``attract`` context: smart investment attraction (智能招商) for a district investment officer.

Its four modules follow the seed's 智能招商平台 (「招商标的精准推荐、招商项目动态跟踪、招商标的监测预警、招商项目过程管理」):

- targets: which fields and chain segments a district should court (relatedness in the economic-complexity way,
  complexity outlook gain, chain gaps) and which firms outside it to approach, every score with its inputs and
  rule, and a backtest against what later happened;
- projects: the project pipeline of a 招商 office (stages, owners, history, funnel, Excel ledger import/export);
- alerts: watch lists of targets and anchor firms, alerts computed from each new version of a register.
"""

# --- targets -------------------------------------------------------------------------------------------------

# --- projects ------------------------------------------------------------------------------------------------

# --- alerts --------------------------------------------------------------------------------------------------

__all__: list[str] = [
    # --- targets
    # --- projects
    # --- alerts
]
