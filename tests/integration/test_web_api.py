"""The JSON API over real HTTP against the running dashboard (``ib serve --demo``) on the demo register."""

from __future__ import annotations

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_server")]


def get(server, path: str, **params):  # type: ignore[no-untyped-def]
    return httpx.get(server.url + path, params=params, timeout=30)


def test_map_2019_has_the_fourteen_units_and_every_enterprise(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/map", vintage=2019).json()
    assert len(body["units"]) == 14 and body["total"] == 3785
    by = {u["code"]: u for u in body["units"]}
    assert by["330108"]["rank"] == 1 and by["330110"]["rank"] == 2 and by["330106"]["rank"] == 3
    assert "QTXQ" in by and by["QTXQ"]["rank"] == 5
    assert body["breaks"] and "示意图" in body["note"] and "2019" in body["note"]


def test_map_2021_has_thirteen_districts_and_the_same_total(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/map", vintage=2021).json()
    assert len(body["units"]) == 13 and body["total"] == 3785
    assert {u["code"] for u in body["units"]} >= {"330113", "330114"}


def test_field_layer_reproduces_printed_cells(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/map", vintage=2019, layer="field:10").json()
    by = {u["code"]: u["count"] for u in body["units"]}
    assert (by["330108"], by["330106"], by["330110"]) == (466, 168, 141)
    assert body["total"] == 1082


def test_unit_panel_has_blurb_rank_and_fields_in_both_languages(demo_server) -> None:  # type: ignore[no-untyped-def]
    zh = get(demo_server, "/api/v1/units/330108", vintage=2019).json()
    assert zh["rank"] == 1 and zh["name"] == "滨江区"
    assert [f["code"] for f in zh["top_fields"]] == ["10", "50", "80"]
    assert "电子信息" in zh["blurb"] and "第一位" in zh["blurb"]
    en = get(demo_server, "/api/v1/units/330108", vintage=2019, lang="en").json()
    assert en["name"] == "Binjiang" and "Electronic" in en["blurb"]


def test_field_detail_names_the_magazines_top_units(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/fields/10").json()
    assert [u["code"] for u in body["top_units"]] == ["330108", "330106", "330110"]
    assert [u["count"] for u in body["top_units"]] == [466, 168, 141]
    assert body["concentration"] == "concentrated" and body["total"] == 1082


def test_geojson_boundaries_for_both_vintages(demo_server) -> None:  # type: ignore[no-untyped-def]
    g19 = get(demo_server, "/api/v1/geo/2019").json()
    g21 = get(demo_server, "/api/v1/geo/2021").json()
    assert g19["type"] == "FeatureCollection" and len(g19["features"]) == 14 and len(g21["features"]) == 13
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in g19["features"])
    assert "示意图" in g19["note"]


def test_map_data_has_cache_headers_and_answers_304(demo_server) -> None:  # type: ignore[no-untyped-def]
    first = get(demo_server, "/api/v1/map", vintage=2019)
    assert "max-age" in first.headers["cache-control"] and first.headers["etag"]
    again = httpx.get(demo_server.url + "/api/v1/map", params={"vintage": 2019},
                      headers={"If-None-Match": first.headers["etag"]}, timeout=30)
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/v1/units/999999", {}, 404, "not_found"),
        ("/api/v1/map", {"vintage": 2020}, 422, "invalid_input"),
        ("/api/v1/map", {"layer": "planet:x"}, 422, "invalid_input"),
        ("/api/v1/fields/99", {}, 404, "not_found"),
        ("/api/v1/enterprises/NOTACODE", {}, 404, "not_found"),
        ("/api/v1/nowhere", {}, 404, "not_found"),
    ],
)
def test_one_error_envelope(demo_server, path, params, status, code) -> None:  # type: ignore[no-untyped-def]
    response = get(demo_server, path, **params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]


def test_enterprise_search_is_paginated_and_portraits_trace_their_source(demo_server) -> None:  # type: ignore[no-untyped-def]
    page1 = get(demo_server, "/api/v1/enterprises", unit="330108", per_page=10).json()
    assert page1["total"] > 900 and len(page1["items"]) == 10 and page1["page"] == 1 and page1["pages"] >= 90
    page2 = get(demo_server, "/api/v1/enterprises", unit="330108", per_page=10, page=2).json()
    assert {e["uscc"] for e in page1["items"]}.isdisjoint({e["uscc"] for e in page2["items"]})
    first = page1["items"][0]
    portrait = get(demo_server, f"/api/v1/enterprises/{first['uscc']}").json()
    assert portrait["uscc"] == first["uscc"] and portrait["synthetic"] is True
    assert portrait["map_unit_2019"] == "330108" and portrait["batch_id"] >= 1 and portrait["source_row"] >= 1
    assert portrait["geo_method"] and portrait["field_l1"]
    by_code = get(demo_server, "/api/v1/enterprises", q=first["uscc"][:12]).json()
    assert first["uscc"] in {e["uscc"] for e in by_code["items"]}


def test_published_figures_all_match_the_demo_register(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/published").json()
    assert body["rows"] and body["summary"].get("differs", 0) == 0 and body["summary"].get("matched", 0) >= 26


def test_reconstruction_marks_every_cell(demo_server) -> None:  # type: ignore[no-untyped-def]
    body = get(demo_server, "/api/v1/reconstruction").json()
    cells = [c for row in body["rows"] for c in row["cells"]]
    assert len(body["rows"]) == 14 and len(cells) == 112
    assert {c["kind"] for c in cells} <= {"printed", "implied", "estimated"}
    assert sum(1 for c in cells if c["kind"] == "printed") == 26


def test_openapi_and_offline_docs(demo_server) -> None:  # type: ignore[no-untyped-def]
    spec = get(demo_server, "/openapi.json").json()
    assert "/api/v1/map" in spec["paths"] and "/api/v1/enterprises/{uscc}" in spec["paths"]
    docs = get(demo_server, "/api/docs").text
    assert "/vendor/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert get(demo_server, "/vendor/swagger/swagger-ui-bundle.js").status_code == 200
    assert get(demo_server, "/vendor/plotly.min.js").status_code == 200


def test_demo_is_read_only(demo_server) -> None:  # type: ignore[no-untyped-def]
    me = get(demo_server, "/api/v1/me").json()
    assert me["demo"] is True and me["may"]["view_enterprises"] is True
    refused = httpx.post(demo_server.url + "/api/v1/imports", files={"file": ("a.csv", b"x")}, timeout=30)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_pages_render_in_both_languages(demo_server) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/units", "/units/330108", "/fields", "/fields/10", "/enterprises", "/published", "/reconstruction"):
        zh = httpx.get(demo_server.url + path, timeout=30)
        assert zh.status_code == 200, path
        assert 'lang="zh-CN"' in zh.text
        en = httpx.get(demo_server.url + path, params={"lang": "en"}, timeout=30)
        assert en.status_code == 200 and 'lang="en"' in en.text, path
    assert "示意图" in httpx.get(demo_server.url + "/units/330108", timeout=30).text
