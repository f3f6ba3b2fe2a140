"""The register's messages, keyed by the stable codes stored with quarantined rows and credit-code verdicts."""

from __future__ import annotations

from industry_brain._core.i18n import Catalog

MESSAGES = Catalog(
    {
        # row-level problems (quarantine.code); severity is in SEVERITY below
        "row_column_count": (
            "第{row}行列数不对：读到{actual}列，表头有{expected}列",
            "row {row} has {actual} columns, the header has {expected}",
        ),
        "name_missing": ("第{row}行缺少企业名称", "row {row}: the enterprise name is missing"),
        "uscc_missing": ("第{row}行缺少统一社会信用代码", "row {row}: the credit code is missing"),
        "uscc_malformed": (
            "第{row}行统一社会信用代码格式错误：{value!r}，{reason_zh}",
            "row {row}: malformed credit code {value!r}: {reason_en}",
        ),
        "uscc_numeric_cell": (
            "第{row}行统一社会信用代码存成了数字：{value!r}，18位数字在Excel中会丢失精度，请把该列设为文本",
            "row {row}: credit code {value!r} is stored as a number, which loses digits in Excel; store the column as text",
        ),
        "uscc_check_char": (
            "第{row}行统一社会信用代码校验位不符：{value!r}，按GB 32100-2015应为{expected!r}（早期试点代码可能合法，已导入）",
            "row {row}: credit code {value!r} fails its check character, expected {expected!r} by GB 32100-2015 "
            "(early pilot codes can be legitimate; the row is loaded)",
        ),
        "uscc_org_check": (
            "第{row}行统一社会信用代码中的组织机构代码校验位不符：{value!r}，按GB 11714应为{expected!r}（已导入）",
            "row {row}: the organisation code inside credit code {value!r} fails its GB 11714 check, "
            "expected {expected!r} (the row is loaded)",
        ),
        "date_invalid": (
            "第{row}行{field}无法识别为日期：{value!r}，应为如2019-01-02、2019/1/2、2019年1月2日、20190102（该值留空）",
            "row {row}: {field} {value!r} is not a date, expected e.g. 2019-01-02, 2019/1/2, 2019年1月2日 or 20190102 "
            "(left empty)",
        ),
        "capital_invalid": (
            "第{row}行注册资本无法解析：{value!r}，应为如500万元、200(万元人民币)、1000万美元（原值保留）",
            "row {row}: registered capital {value!r} does not parse, expected e.g. 500万元, 200(万元人民币), 1000万美元 "
            "(raw value kept)",
        ),
        "year_invalid": (
            "第{row}行认定年份无效：{value!r}，应为2008至今的四位年份（该值留空）",
            "row {row}: certification year {value!r} is invalid, expected a four-digit year from 2008 on (left empty)",
        ),
        "cert_no_invalid": (
            "第{row}行高新技术企业证书编号格式不符：{value!r}，应为GR+年份+省码+序号，如GR201833001234（原值保留）",
            "row {row}: high-tech certificate number {value!r} does not look like GR+year+province+serial, "
            "e.g. GR201833001234 (kept as is)",
        ),
        "flag_invalid": (
            "第{row}行{field}无法识别为是/否：{value!r}（该值留空）",
            "row {row}: {field} {value!r} is not yes/no (left empty)",
        ),
        "field_unknown": (
            "第{row}行技术领域无法识别：{value!r}，改为按经营范围推断",
            "row {row}: technology field {value!r} is not recognised; inferred from the business scope instead",
        ),
        "geo_unplaced": (
            "第{row}行无法确定所在区县：地址{value!r}",
            "row {row}: the district could not be determined from address {value!r}",
        ),
        "duplicate_identical": (
            "第{row}行与第{first}行统一社会信用代码相同且内容一致，已合并为一条",
            "row {row} repeats row {first} (same credit code, same data); collapsed into one record",
        ),
        "duplicate_conflict": (
            "第{row}行与第{rows}行统一社会信用代码相同（{value}）但内容不同，均未导入，请核对",
            "rows {rows} and {row} share credit code {value} but differ; none of them is loaded, please review",
        ),
        # credit-code verdict problems (check_uscc)
        "uscc.length": ("应为18位，实际{n}位", "expected 18 characters, got {n}"),
        "uscc.charset": (
            "第{pos}位字符{char!r}不在代码字符集内（数字和除I、O、Z、S、V外的大写字母）",
            "character {char!r} at position {pos} is not allowed (digits and capitals except I, O, Z, S, V)",
        ),
        "uscc.authority": (
            "第1位登记管理部门码{char!r}未定义",
            "registration authority code {char!r} (position 1) is undefined",
        ),
        "uscc.entity_type": (
            "第2位机构类别码{char!r}在登记管理部门“{authority}”下未定义",
            "entity type code {char!r} (position 2) is undefined for authority {authority!r}",
        ),
        "uscc.division": (
            "第3-8位登记管理机关行政区划码{value!r}不是有效的6位区划码",
            "positions 3-8 {value!r} are not a valid 6-digit division code",
        ),
        "uscc.org_check": (
            "第9-17位组织机构代码{value!r}的校验码应为{expected!r}（GB 11714）",
            "organisation code {value!r} (positions 9-17) should end in {expected!r} (GB 11714)",
        ),
        "uscc.check_char": (
            "第18位校验码为{actual!r}，按GB 32100-2015应为{expected!r}",
            "check character (position 18) is {actual!r}, GB 32100-2015 gives {expected!r}",
        ),
        "uscc.ok": ("代码结构和两级校验均正确", "structure and both check characters are correct"),
        "uscc.parts": (
            "登记管理部门：{authority}；机构类别：{entity_type}；登记管理机关区划：{division}；组织机构代码：{org}",
            "authority: {authority}; entity type: {entity_type}; registering division: {division}; "
            "organisation code: {org}",
        ),
    }
)

#: error → the row is quarantined; warning → the row is loaded and the problem is recorded beside it.
SEVERITY: dict[str, str] = {
    "row_column_count": "error",
    "name_missing": "error",
    "uscc_missing": "error",
    "uscc_malformed": "error",
    "uscc_numeric_cell": "error",
    "duplicate_conflict": "error",
    "uscc_check_char": "warning",
    "uscc_org_check": "warning",
    "date_invalid": "warning",
    "capital_invalid": "warning",
    "year_invalid": "warning",
    "cert_no_invalid": "warning",
    "flag_invalid": "warning",
    "field_unknown": "warning",
    "geo_unplaced": "warning",
    "duplicate_identical": "warning",
}
