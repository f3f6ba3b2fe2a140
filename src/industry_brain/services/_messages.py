"""zh-CN / en messages of the services context, keyed by stable codes (stored with quarantined rows)."""

from __future__ import annotations

from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        # errors: the row is not loaded
        "name_missing": ("机构名称为空", "provider name is empty"),
        "kind_unknown": ("机构类型 {value!r} 无法识别，应为：{expected}", "provider kind {value!r}: expected one of {expected}"),
        "description_missing": ("服务内容为空", "service description is empty"),
        "text_missing": ("需求描述为空", "the request text is empty"),
        "id_duplicate": ("编号 {value!r} 重复（首次出现在第 {first} 行）", "id {value!r} repeats (first on row {first})"),
        "provider_unmatched": ("{value!r} 不在服务机构名录中（按编号、统一社会信用代码或唯一名称查找）", "{value!r} is not in the provider directory (looked up by id, credit code or a unique name)"),
        "event_kind_unknown": ("事件类型 {value!r} 无法识别，应为：{expected}", "event kind {value!r}: expected one of {expected}"),
        "event_date_invalid": ("日期 {value!r} 无法解析", "date {value!r} is not a date"),
        "row_malformed": ("该行有 {got} 列，表头有 {expected} 列", "row has {got} cells, the header has {expected}"),
        # warnings: the row loads without the value
        "field_unknown": ("领域 {value!r} 不是高新技术领域代码或名称，已忽略", "field {value!r} is not a high-tech field code or name; left out"),
        "district_unknown": ("区县 {value!r} 不是杭州的区县，已忽略", "district {value!r} is not a Hangzhou district; left out"),
        "capacity_invalid": ("服务能力 {value!r} 不是非负整数，已忽略", "capacity {value!r} is not a whole number ≥ 0; left out"),
        "budget_invalid": ("预算 {value!r} 不是金额（万元），已忽略", "budget {value!r} is not an amount in 万元; left out"),
        "deadline_invalid": ("截止日期 {value!r} 无法解析，已忽略", "deadline {value!r} is not a date; left out"),
        "uscc_invalid": ("统一社会信用代码 {value!r} 格式不正确，已忽略", "credit code {value!r} is malformed; left out"),
        "header_missing": ("缺少必需的列：{value}", "required column missing: {value}"),
        "event_on_record": ("该事件已有记录（{value}），未重复计入", "this event is on record already ({value}); not counted twice"),
        # a form or API body: nothing is saved
        "form_fields": ("服务领域 {value!r} 不是高新技术领域代码或名称", "fields served {value!r}: not a high-tech field code or name"),
        "form_district": ("所在区县 {value!r} 不是杭州的区县", "district {value!r} is not a Hangzhou district"),
        "form_capacity": ("月服务能力 {value!r} 应为非负整数", "capacity {value!r}: expected a whole number ≥ 0"),
        "form_uscc": ("统一社会信用代码 {value!r} 格式不正确", "credit code {value!r} is malformed"),
    }
)

SEVERITY = {
    "name_missing": "error",
    "kind_unknown": "error",
    "description_missing": "error",
    "text_missing": "error",
    "id_duplicate": "error",
    "row_malformed": "error",
    "field_unknown": "warning",
    "district_unknown": "warning",
    "capacity_invalid": "warning",
    "budget_invalid": "warning",
    "deadline_invalid": "warning",
    "uscc_invalid": "warning",
    "provider_unmatched": "error",
    "event_kind_unknown": "error",
    "event_date_invalid": "error",
    "event_on_record": "warning",
}
