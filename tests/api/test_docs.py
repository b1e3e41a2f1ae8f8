"""OpenAPI and the docs page: complete, and usable on an intranet without internet access."""

import json
import re
from urllib.parse import urlsplit

from django.urls import reverse

from civicplan.api.urls import api
from tests.api.conftest import client_as

EXPECTED_PATHS = {
    f"/api/{resource}{suffix}"
    for resource in ("cycles", "agencies", "chapters", "goals", "indicators", "targets", "periods", "reports",
                     "measurements")
    for suffix in ("", "/{id}")
} | {f"/api/reports/{{id}}/{step}" for step in ("measurements", "submit", "head-approve", "first-review",
                                                 "final-review", "return", "reopen")} | {"/api/measurements/{id}/light"}
WRITE_STATUSES = {"200", "400", "401", "403", "404", "409", "422"}
URL = re.compile(r"""https?://[^\s"'<>()]+""")


def test_openapi_json_is_valid_json_with_every_path(db):
    response = client_as(None).get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "civicplan API" and schema["info"]["version"] == "1"
    assert set(schema["paths"]) == EXPECTED_PATHS
    assert reverse("api:openapi-json") == "/api/openapi.json"
    assert reverse("api:openapi-view") == "/api/docs"


def test_openapi_documents_filters_pages_and_the_errors(db):
    paths = api.get_openapi_schema(path_params={})["paths"]
    params = {p["name"] for p in paths["/api/indicators"]["get"]["parameters"]}
    assert params == {"city", "goal", "chapter", "cycle", "agency", "year", "q", "page", "page_size"}
    for path in ("/api/chapters", "/api/goals", "/api/indicators", "/api/targets", "/api/measurements"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"city", "cycle", "agency", "year"} <= names, path
    page_size = next(p for p in paths["/api/targets"]["get"]["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["default"], page_size["schema"]["maximum"]) == (50, 200)
    assert set(map(str, paths["/api/indicators/{id}"]["get"]["responses"])) == {"200", "401", "404", "422"}
    assert set(map(str, paths["/api/indicators"]["get"]["responses"])) == {"200", "401", "422"}


def test_every_write_declares_every_error_and_needs_a_token(db):
    schema = api.get_openapi_schema(path_params={})
    writes = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
              if method != "get"]
    assert len(writes) == 12
    for path, method, op in writes:
        assert WRITE_STATUSES <= set(map(str, op["responses"])), (method, path)
        assert op["security"] == [{"ApiToken": []}], (method, path)
        conflict = op["responses"][409]["content"]["application/json"]["schema"]["$ref"]
        assert conflict.endswith("/ConflictOut")
    reads = [op for ops in schema["paths"].values() for method, op in ops.items() if method == "get"]
    assert all(op["security"] == [{"ApiToken": []}, {}] for op in reads)  # a token is optional for reading
    assert schema["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"


def test_docs_page_loads_nothing_from_outside_the_site(db):
    client = client_as(None)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    outside = [url for url in URL.findall(html) if urlsplit(url).hostname not in ("testserver", None)]
    assert outside == [], outside
    # The assets are the ones in the django-ninja wheel, served by the site itself.
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body
        if asset.endswith(".css"):
            assert not re.search(rb"url\(\s*['\"]?https?:", body), asset
    # Swagger UI's "online validator" badge would fetch an image from validator.swagger.io.
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
    assert settings["validatorUrl"] is None
    assert settings["url"] == "/api/openapi.json"


def test_docs_page_is_also_there_for_members(world):
    response = client_as(world.admin).get("/api/docs")
    assert response.status_code == 200
    assert b"civicplan API" in response.content
