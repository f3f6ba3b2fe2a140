"""Interface strings of the attraction pages (alerts), zh-CN first; merged into ``web._i18n.UI``."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "al_title": ("监测预警", "Watch-list alerts"),
    "al_lead": ("由企业名录每个新版本与同一名录上一版本比较得出：迁出、注销吊销、名录中消失、注册资本减少、更名、"
                "经营范围变更、高企证书将到期、异地设立分支机构。每条预警写明前后取值、判定规则及所依据的记录版本。",
                "Computed from each new version of an enterprise list against the previous version of the same list: "
                "moved out, deregistered, gone from the list, capital reduced, renamed, scope changed, certificate "
                "expiring, a branch in another city. Each alert states the values before and after, the rule and "
                "the record versions it comes from."),
    "al_counts": ("共 {total} 条，未读 {unread} 条", "{total} alerts, {unread} unread"),
    "al_feed": ("JSON Feed 订阅", "JSON Feed"),
    "al_kind": ("预警类型", "Alert kind"),
    "al_all_kinds": ("全部类型", "All kinds"),
    "al_district": ("区县", "District"),
    "al_all_districts": ("全部区县", "All districts"),
    "al_unread_only": ("只看未读", "Unread only"),
    "al_filter": ("筛选", "Filter"),
    "al_severity": ("严重度", "Severity"),
    "al_unread": ("未读", "unread"),
    "al_why": ("原因：", "Why: "),
    "al_versions": ("依据的记录版本：", "Record versions: "),
    "al_before": ("前一版本", "before"),
    "al_after": ("新版本", "after"),
    "al_batch_row": ("批次 {batch} 第 {row} 行", "batch {batch} row {row}"),
    "al_batch_absent": ("批次 {batch}（无此企业）", "batch {batch} (not listed)"),
    "al_source": ("名录", "list"),
    "al_computed": ("计算于", "computed"),
    "al_read_by": ("已读（{who}）", "read by {who}"),
    "al_mark_read": ("标为已读", "Mark read"),
    "al_mark_unread": ("标为未读", "Mark unread"),
    "al_none": ("没有符合条件的预警。", "No alerts match."),
    "al_watch_title": ("关注清单", "Watch list"),
    "al_watch_lead": ("招商标的（本区争取的企业）与本区龙头企业；名录每次导入新版本后自动计算预警。",
                      "Targets (firms the district courts) and the district's own anchor firms; alerts are computed "
                      "after every import of a new list version."),
    "al_watch_pick": ("请选择一个区县查看其关注清单。", "Choose a district to see its watch list."),
    "al_uscc": ("统一社会信用代码", "Credit code"),
    "al_name": ("企业名称", "Name"),
    "al_note": ("备注", "Note"),
    "al_watch_kind": ("类型", "Kind"),
    "al_watch_add": ("加入关注", "Watch"),
    "al_watch_remove": ("移出", "Remove"),
    "al_watch_none": ("关注清单为空。", "The watch list is empty."),
    "al_anchors_top": ("龙头企业数", "How many anchors"),
    "al_anchors_add": ("加入本区龙头企业", "Add the district's anchors"),
    "al_anchors_rule": ("规则：当前名录中位于本区的企业，高新技术企业优先，再按注册资本从大到小。",
                        "Rule: the district's firms in the current register, high-tech first, then by registered "
                        "capital, largest first."),
    "al_unit_now": ("当前所在单元", "Unit now"),
    "al_not_in_register": ("不在当前名录", "not in the register"),
}
