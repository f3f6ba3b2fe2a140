"""The `taxonomy` context: what technology an enterprise works in.

- The national key supported high-tech fields (国家重点支持的高新技术领域, 2016): 8 fields, 52 second-level and
  254 third-level entries, with English names and stable slugs (``electronic_info`` … ``adv_manufacturing``):
  :func:`fields`, :func:`field`, :func:`field_from_name` (reads the variants real lists print).
- Hangzhou's seven future industries (人工智能, 虚拟现实, 区块链, 量子技术, 增材制造, 商用航空航天,
  生物技术和生命科学) and their links to the fields: :func:`future_industries`, :func:`future_industry`.
- A business-scope (经营范围) classifier, rules kept as data: :func:`classify_scope`, :func:`classify_many`.

Example::

    >>> from industry_brain.taxonomy import classify_scope, field
    >>> c = classify_scope("集成电路设计、技术开发；销售：电子产品")
    >>> c.field_l1, c.field_l2, c.field_l3
    ('10', '102', '10201')
    >>> field(c.field_l1).slug
    'electronic_info'
"""

from industry_brain.taxonomy._classifier import Classification, ScopeClassifier, classify_many, classify_scope
from industry_brain.taxonomy._fields import Field, children, field, field_from_name, fields
from industry_brain.taxonomy._future import FieldLink, FutureIndustry, future_industries, future_industry
from industry_brain.taxonomy._rules import Rules, load_rules, reading_rules

__all__ = [
    "Classification",
    "Field",
    "FieldLink",
    "FutureIndustry",
    "Rules",
    "ScopeClassifier",
    "children",
    "classify_many",
    "classify_scope",
    "field",
    "field_from_name",
    "fields",
    "future_industries",
    "future_industry",
    "load_rules",
    "reading_rules",
]
