"""zh-CN / en messages of the project pipeline, keyed by stable codes (stored with quarantined ledger rows)."""

from __future__ import annotations

from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        # moves
        "move_refused": ("不能从「{frm}」直接到「{to}」；从「{frm}」可以：{allowed}",
                         "move {frm!r} → {to!r} is not allowed; from {frm!r} the allowed moves are: {allowed}"),
        "move_none": ("「{frm}」是最终结果，不能再变更阶段", "{frm!r} is final: no move is allowed from it"),
        "move_same": ("项目已处于「{frm}」", "the project is at {frm!r} already"),
        "reason_required": ("从「{frm}」到「{to}」需要填写原因（{kind}）", "a move {frm!r} → {to!r} ({kind}) needs a reason"),
        "allowed_forward": ("推进到「{to}」", "forward to {to!r}"),
        "allowed_skip": ("跳到「{to}」（{why}）", "skip to {to!r} ({why})"),
        "allowed_back": ("退回到 {to}（须填原因）", "back to {to} (with a reason)"),
        "allowed_outcome": ("「{to}」（须填原因）", "{to!r} (with a reason)"),
        "allowed_resume": ("恢复到「{to}」", "resume at {to!r}"),
        "stage_unknown": ("阶段 {value!r} 不存在，应为：{expected}", "stage {value!r} is unknown: expected one of {expected}"),
        # the configuration
        "config_invalid": ("阶段配置 {file} 有误：{problem}", "stage configuration {file}: {problem}"),
        # ledger rows: errors, the row is not loaded
        "name_missing": ("项目名称为空", "project name is empty"),
        "district_missing": ("所属区县为空", "district is empty"),
        "district_unknown": ("所属区县 {value!r} 不是杭州 2019 年地图上的区县，应为：{expected}",
                             "district {value!r} is not a unit of the 2019 Hangzhou map: expected one of {expected}"),
        "district_not_allowed": ("所属区县 {value!r} 不在本账户负责的区县（{expected}）内",
                                 "district {value!r} is not one of this account's districts ({expected})"),
        "stage_invalid": ("当前阶段 {value!r} 不存在，应为：{expected}", "stage {value!r} is unknown: expected one of {expected}"),
        "stage_refused": ("当前阶段 {value!r}：{reason}", "stage {value!r}: {reason}"),
        "name_duplicate": ("项目 {value!r} 在本表中重复（首次出现在第 {first} 行）",
                           "project {value!r} repeats in this sheet (first on row {first})"),
        # ledger rows: warnings, the row loads without the value
        "uscc_invalid": ("统一社会信用代码 {value!r} 校验不通过，已忽略", "credit code {value!r} does not check; left out"),
        "investment_invalid": ("计划投资额 {value!r} 不是人民币金额（万元），已忽略",
                               "investment {value!r} is not an amount in 万元 CNY; left out"),
        "field_unknown": ("所属领域 {value!r} 不是 2016 年高新技术领域的二级或三级代码/名称，已忽略",
                          "field {value!r} is not a level-2 or level-3 high-tech field code or name; left out"),
        "chain_unknown": ("产业链环节 {value!r} 无法识别，已忽略", "chain segment {value!r} is not known; left out"),
        "date_invalid": ("计划完成时间 {value!r} 不是日期，已忽略", "due date {value!r} is not a date; left out"),
        # forms and API bodies: nothing is saved
        "form_name": ("项目名称不能为空", "project name is empty: expected a name"),
        "form_district": ("所属区县 {value!r} 不是杭州 2019 年地图上的区县", "district {value!r} is not a unit of the 2019 Hangzhou map"),
        "form_uscc": ("统一社会信用代码 {value!r} 校验不通过：{why}", "credit code {value!r} does not check: {why}"),
        "form_investment": ("计划投资额 {value!r} 应为非负金额（万元）", "investment {value!r}: expected an amount ≥ 0 in 万元"),
        "form_field": ("所属领域 {value!r} 应为 2016 年高新技术领域的二级或三级代码",
                       "field {value!r}: expected a level-2 or level-3 high-tech field code"),
        "form_chain": ("产业链 {value!r} 不存在，应为：{expected}", "chain {value!r} is unknown: expected one of {expected}"),
        "form_segment": ("产业链「{chain}」没有环节 {value!r}，应为：{expected}",
                         "chain {chain!r} has no segment {value!r}: expected one of {expected}"),
        "form_segment_alone": ("填写了产业链环节 {value!r} 但没有产业链", "segment {value!r} given without its chain"),
        "form_date": ("日期 {value!r} 应为 YYYY-MM-DD", "date {value!r}: expected YYYY-MM-DD"),
        "form_stage_field": ("阶段不能在编辑中修改，请用推进表单", "the stage is changed by a move, not an edit"),
        "no_project": ("没有编号为 {value!r} 的项目", "no project with id {value!r}"),
        "project_exists": ("{district} 已有名为 {value!r} 的项目（编号 {pid}）",
                           "{district} has a project named {value!r} already (id {pid})"),
        "may_not_view": ("无权查看 {district} 的项目", "role {role!r} may not view projects of {district!r}"),
        "may_not_edit": ("无权新建或修改 {district} 的项目", "role {role!r} may not edit projects of {district!r}"),
    }
)

SEVERITY = {
    "name_missing": "error",
    "district_missing": "error",
    "district_unknown": "error",
    "district_not_allowed": "error",
    "stage_invalid": "error",
    "stage_refused": "error",
    "name_duplicate": "error",
    "uscc_invalid": "warning",
    "investment_invalid": "warning",
    "field_unknown": "warning",
    "chain_unknown": "warning",
    "date_invalid": "warning",
}
