"""The public surface of ``industry_brain.taxonomy`` is pinned: adding or removing a name is a decision."""

import industry_brain.taxonomy as taxonomy


def test_all_is_pinned() -> None:
    assert sorted(taxonomy.__all__) == [
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


def test_every_public_name_exists() -> None:
    for name in taxonomy.__all__:
        assert getattr(taxonomy, name) is not None
