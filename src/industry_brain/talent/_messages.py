"""zh-CN / en messages of the talent context, keyed by stable codes (stored with quarantined answers)."""

from __future__ import annotations

from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        # respondent-level: the whole respondent is quarantined
        "respondent_id_missing": (
            "序号为空或不是正整数：{value!r}",
            "respondent number {value!r}: expected a positive integer",
        ),
        "respondent_duplicate": (
            "序号 {value!r} 重复（首次出现在第 {first} 行）",
            "respondent number {value!r} repeats (first on row {first})",
        ),
        "row_malformed": (
            "该行有 {got} 列，表头有 {expected} 列",
            "row has {got} cells, the header has {expected}",
        ),
        "row_empty": ("该行没有任何作答", "row has no answers"),
        "sector_missing": (
            "所属领域 {value!r} 无法识别，应为：{expected}",
            "sector {value!r}: expected one of {expected}",
        ),
        # answer-level errors: the answer is not loaded, the respondent is
        "option_unknown": (
            "选项 {value!r} 不是该题的选项，应为：{expected}",
            "option {value!r}: expected one of {expected}",
        ),
        "question_unknown": (
            "题目 {value!r} 不是问卷 {survey} 的题目",
            "question {value!r} is not a question of survey {survey}",
        ),
        "option_out_of_range": (
            "选项序号 {value!r} 超出范围，应为 1-{max}",
            "option number {value!r}: expected 1-{max}",
        ),
        "binary_invalid": (
            "多选题选项列的值 {value!r} 应为 0 或 1",
            "option column value {value!r}: expected 0 or 1",
        ),
        "number_malformed": ("数值 {value!r} 无法识别，应为数字", "number {value!r}: expected a number"),
        "number_out_of_range": (
            "数值 {value!r} 超出范围，应在 {low} 至 {high} 之间",
            "number {value!r}: expected {low} to {high}",
        ),
        "number_exceeds": (
            "数值 {value!r} 大于 {other}（{bound}）",
            "number {value!r} exceeds {other} ({bound})",
        ),
        "answer_not_applicable": (
            "该题只问 {sector} 企业，此企业不应作答：{value!r}",
            "question is asked only of {sector} firms, got {value!r}",
        ),
        "text_too_long": (
            "文本过长（{length} 字），应不超过 {limit} 字",
            "text of {length} characters, expected at most {limit}",
        ),
        # warnings: loaded, reported
        "required_missing": ("必答题未作答", "required question not answered"),
        "uscc_malformed": (
            "统一社会信用代码 {value!r} 格式或校验位错误，未用于关联",
            "credit code {value!r} is malformed or fails its check digit; not used for linking",
        ),
        "matrix_sum_mismatch": (
            "{question} 各项合计 {total} 与专业人才人数 {expected} 不符",
            "{question} rows sum to {total}, professional headcount is {expected}",
        ),
        "other_text": ("“其他”选项的说明：{value!r}", "text of the 'other' option: {value!r}"),
        # file-level
        "column_unknown": (
            "无法对应到问卷 {survey} 的列：{columns}",
            "columns that match no question of {survey}: {columns}",
        ),
        "column_duplicate": (
            "列 {column!r} 与前面的列对应同一题目/选项",
            "column {column!r} maps to the same question/option as an earlier one",
        ),
        "no_questions": (
            "文件中没有任何问卷 {survey} 的题目列",
            "the file has no question columns of survey {survey}",
        ),
    }
)
