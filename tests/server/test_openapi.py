"""The OpenAPI schema: valid OpenAPI 3.1, true to real responses, and the API fuzzed from it."""

from __future__ import annotations

import httpx
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR
from serverkit import ARTICLE, Server

from propscope.config import ServerConfig
from propscope.server.openapi import openapi_schema


@pytest.fixture(scope="module")
def served_schema(server: Server) -> dict[str, object]:
    schema: dict[str, object] = httpx.get(server.url + "/api/openapi.json").json()
    return schema


def test_schema_is_valid_openapi_3_1(served_schema: dict[str, object]) -> None:
    OPENAPI_31_VALIDATOR.validate(served_schema)
    assert served_schema == openapi_schema(ServerConfig(max_batch=3))


def test_schema_with_token_declares_bearer_security() -> None:
    schema = openapi_schema(ServerConfig(token="t"))
    OPENAPI_31_VALIDATOR.validate(schema)
    assert schema["security"] == [{"bearer": []}]


def _validator(schema: dict[str, object], name: str) -> jsonschema_rs.Validator:
    bundle = {"$defs": schema["components"]["schemas"],  # type: ignore[index]
              "$ref": f"#/$defs/{name}"}
    text = str(bundle).replace("#/components/schemas/", "#/$defs/")
    return jsonschema_rs.validator_for(eval(text))  # a dict literal we just built from JSON


@pytest.mark.parametrize(("method", "path", "body", "component"), [
    ("POST", "/api/analyze", {"text": ARTICLE}, "Analysis"),
    ("POST", "/api/analyze/batch", {"documents": [{"text": ARTICLE}]}, "Batch"),
    ("GET", "/api/techniques", None, "Taxonomy"),
    ("GET", "/api/health", None, "Health"),
    ("GET", "/api/version", None, "Version"),
    ("POST", "/api/analyze", {"text": 1}, "Error"),
    ("PUT", "/api/analyze", {"text": ARTICLE}, "Error"),  # 405: the same error object
])
def test_real_responses_match_their_schema(server: Server, served_schema: dict[str, object],
                                           method: str, path: str, body: object,
                                           component: str) -> None:
    r = httpx.request(method, server.url + path, json=body, timeout=60)
    _validator(served_schema, component).validate(r.json())
    declared = served_schema["paths"][path].get(method.lower(), {}).get("responses", {})  # type: ignore[index]
    assert str(r.status_code) in declared or (r.status_code == 405 and not declared)


def test_every_operation_declares_the_internal_error(served_schema: dict[str, object]) -> None:
    for item in served_schema["paths"].values():  # type: ignore[attr-defined]
        for op in item.values():
            assert "500" in op["responses"]


OPERATIONS = [(method.upper(), path) for path, item in openapi_schema(ServerConfig())["paths"].items()
              for method in item]


@pytest.fixture(scope="module")
def fuzz_schema(server: Server) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(server.url + "/api/openapi.json")


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_fuzzed_from_its_schema(fuzz_schema: schemathesis.BaseSchema, method: str,
                                    path: str) -> None:
    operation = fuzz_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        # Schema-valid input can still hold nothing to analyse (markup with no text, a URL
        # that cannot be fetched): the API answers those with a documented 4xx, so the
        # "valid data is accepted" check does not apply; every other check does.
        case.call_and_validate(timeout=30, excluded_checks=[positive_data_acceptance])

    run()
