"""The HTTP API against a real server process: answers, the JSON contract, every error status."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from serverkit import ARTICLE, BLATANT, Server, model_dir, start_server, stop_server

from propscope import ingest
from propscope.analyzer import Analyzer
from propscope.document import GIVEN, Document
from propscope.errors import ModelError
from propscope.models.quality import load_quality
from propscope.sensitivity import LEVELS
from propscope.serialize import SCHEMA_VERSION, to_dict
from propscope.taxonomy import CATEGORIES, TECHNIQUES


@pytest.fixture(scope="module")
def api(server: Server) -> httpx.Client:
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def local_analyzer() -> Analyzer:
    """The same model in this process, to compare the API's answers with."""
    return Analyzer(model_dir())


def test_analyze_returns_the_cli_json_contract(api: httpx.Client, local_analyzer: Analyzer) -> None:
    r = api.post("/api/analyze", json={"text": ARTICLE, "id": "story-1",
                                       "metadata": {"outlet": "The Test Gazette"}})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    got = r.json()
    doc = local_analyzer.analyze_document(ingest.read_text(ARTICLE, id="story-1"))
    doc.metadata.set_from(GIVEN, outlet="The Test Gazette")  # as the API records it
    assert got == json.loads(json.dumps(to_dict(doc)))
    assert got["spans"], "the blatant article should get at least one technique span"
    for span in got["spans"]:
        assert span["technique"] in TECHNIQUES
        assert ARTICLE[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize(("name", "content", "fmt"), [
    ("story.txt", ARTICLE.encode(), "txt"),
    ("story.md", f"# Traitors Sold Out the Nation\n\n{BLATANT}\n".encode(), "md"),
    ("story.html", f"<html><body><h1>Title</h1><p>{BLATANT}</p></body></html>".encode(), "html"),
])
def test_analyze_reads_uploaded_files(api: httpx.Client, name: str, content: bytes, fmt: str) -> None:
    r = api.post("/api/analyze", files={"file": (name, content, "application/octet-stream")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "story"
    assert "traitors" in body["text"]
    assert "<p>" not in body["text"]
    expected = ingest.read_bytes(content, name=name)[0].text
    assert body["text"] == expected


def test_upload_id_field_overrides_the_file_name(api: httpx.Client) -> None:
    r = api.post("/api/analyze", files={"file": ("a.txt", ARTICLE.encode())}, data={"id": "mine"})
    assert r.status_code == 200
    assert r.json()["id"] == "mine"


def test_upload_encoding_field_decodes_a_legacy_file_and_errors_name_it(api: httpx.Client) -> None:
    legacy = "Café owners say the “plan” is a disgrace.\n".encode("cp1252")
    r = api.post("/api/analyze", files={"file": ("a.txt", legacy)})
    assert r.status_code == 422
    message = r.json()["error"]["message"]
    assert "encoding=cp1252" in message and "--encoding" not in message
    r = api.post("/api/analyze", files={"file": ("a.txt", legacy)}, data={"encoding": "cp1252"})
    assert r.status_code == 200, r.text
    assert r.json()["text"].startswith("Café owners say the “plan”")
    r = api.post("/api/analyze", files={"file": ("a.txt", legacy)}, data={"encoding": "auto"})
    assert r.status_code == 200 and r.json()["text"].startswith("Café owners")
    for bad in ("rot13", "klingon", " "):
        r = api.post("/api/analyze", files={"file": ("a.txt", legacy)}, data={"encoding": bad})
        assert r.status_code == 422, (bad, r.text)
        assert "encoding" in r.json()["error"]["message"]


def test_batch_analyses_each_document_in_order(api: httpx.Client) -> None:
    texts = [ARTICLE, "The council approved the budget on Monday after a short debate.\n"]
    r = api.post("/api/analyze/batch", json={"documents": [{"text": t, "id": f"d{i}"}
                                                           for i, t in enumerate(texts)]})
    assert r.status_code == 200, r.text
    docs = r.json()["documents"]
    assert [d["id"] for d in docs] == ["d0", "d1"]
    assert [d["text"] for d in docs] == texts


def test_batch_accepts_several_uploaded_files(api: httpx.Client) -> None:
    files = [("file", ("one.txt", ARTICLE.encode())), ("file", ("two.md", b"# Two\n\nSome text here.\n"))]
    r = api.post("/api/analyze/batch", files=files)
    assert r.status_code == 200, r.text
    assert [d["id"] for d in r.json()["documents"]] == ["one", "two"]


@pytest.mark.parametrize("n", [4, 9])
def test_batch_of_too_many_files_is_413(api: httpx.Client, n: int) -> None:
    files = [("file", (f"f{i}.txt", b"Some words here.")) for i in range(n)]
    r = api.post("/api/analyze/batch", files=files)
    assert r.status_code == 413
    assert "at most 3" in r.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/api/analyze", "/api/analyses"])
def test_two_files_sent_to_the_one_document_routes_point_at_the_batch_route(
        api: httpx.Client, path: str) -> None:
    files = [("file", ("one.txt", ARTICLE.encode())), ("file", ("two.txt", ARTICLE.encode()))]
    r = api.post(path, files=files)
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "analyses one: send them to /api/analyze/batch" in message and "max_batch" not in message


def test_kept_analysis_has_permalink_page_and_downloads(api: httpx.Client, server: Server) -> None:
    r = api.post("/api/analyses", json={"text": ARTICLE, "id": "kept story"})
    assert r.status_code == 201
    analysis_id = r.headers["x-analysis-id"]
    assert r.headers["location"] == f"/a/{analysis_id}"
    assert (server.store / f"{analysis_id}.json").is_file()
    assert api.get(f"/api/analyses/{analysis_id}").json() == r.json()
    page = api.get(f"/a/{analysis_id}")
    assert page.status_code == 200
    assert f'data-analysis-id="{analysis_id}"' in page.text
    as_json = api.get(f"/a/{analysis_id}.json")
    assert as_json.headers["content-disposition"] == 'attachment; filename="kept_story.propscope.json"'
    assert as_json.json() == r.json()
    report = api.get(f"/a/{analysis_id}.html")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/html")
    assert "attachment" in report.headers["content-disposition"]
    assert "<html" in report.text.lower() and "traitors" in report.text
    # The served model's recorded rates, as in `propscope analyze --format html`.
    assert ("Labels right</th>" in report.text) == (load_quality(model_dir()) is not None)


def test_same_analysis_gets_the_same_permalink(api: httpx.Client) -> None:
    ids = {api.post("/api/analyses", json={"text": ARTICLE}).headers["x-analysis-id"] for _ in range(2)}
    assert len(ids) == 1


@pytest.mark.parametrize("path", ["/api/analyses/0123456789abcdef0123", "/api/analyses/..%2Fsecret",
                                  "/a/0123456789abcdef0123", "/a/0123456789abcdef0123.json"])
def test_unknown_analysis_is_404(api: httpx.Client, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404


@pytest.mark.parametrize("path", ["/api/analyses/" + "f" * 5000, "/nothing/" + "x" * 5000])
def test_a_404_does_not_echo_a_long_id_or_path_whole(api: httpx.Client, path: str) -> None:
    r = api.get(path, headers={"accept": "application/json"})
    assert r.status_code == 404
    message = r.json()["error"]["message"]
    assert len(message) < 300 and "…" in message


def test_techniques_lists_the_taxonomy(api: httpx.Client) -> None:
    body = api.get("/api/techniques").json()
    assert [t["name"] for t in body["techniques"]] == list(TECHNIQUES)
    assert {c["name"]: c["color"] for c in body["categories"]} == {
        c.name: c.color for c in CATEGORIES.values()}
    assert len(body["frames"]) == 14 and body["genres"] == ["opinion", "reporting", "satire"]
    # How well the served model finds each technique: its recorded out-of-sample rates.
    quality = load_quality(model_dir())  # the served model's artifact
    if quality is None:
        assert body["quality"] is None
    else:
        assert body["quality"]["summary"] == quality.header()
        by_name = {t["name"]: t for t in body["techniques"]}
        for name, q in quality.techniques.items():
            assert by_name[name]["quality"]["summary"] == quality.describe(name)
            assert by_name[name]["quality"]["paragraphs"]["support"] == q.paragraphs.support
    assert all(t["trainable"] == t["predicted"] for t in body["techniques"])


def test_the_page_draws_each_technique_as_the_html_report_does(api: httpx.Client) -> None:
    # The page builds its highlights from /api/techniques; the report from the same taxonomy:
    # each technique's shade, line colour and underline pattern must come out identical.
    from propscope.render.html import render_html

    body = api.get("/api/techniques").json()
    report = render_html(Document("A text.", id="x"))
    patterns = body["display"]["underlines"]
    for t in body["techniques"]:
        pattern = patterns[t["underline"]]
        image = pattern["image"].replace("{color}", t["line"])
        assert (f".t-{t['name']} {{ --bg-c: {t['color']}; --line-c: {t['line']}; --ul: {image}; "
                f"--ul-h: {pattern['height']}px; }}") in report
    assert len({t["tag"] for t in body["techniques"]}) == len(TECHNIQUES)


def test_health_and_version_name_the_loaded_model(api: httpx.Client) -> None:
    health = api.get("/api/health").json()
    version = api.get("/api/version").json()
    assert health["status"] == "ok"
    assert health["model"]["name"] and health["model"] == version["model"]
    assert health["model"]["calibrated"] is True  # the shipped model's scores are calibrated
    assert version["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize(("kwargs", "status", "fragment"), [
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
    ({"content": b"text=hello", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
     415, "Content-Type"),
    ({"content": b"hello"}, 415, "Content-Type"),
    ({"json": ["a list"]}, 422, "expected a JSON object"),
    ({"json": {}}, 422, "exactly one of 'text'"),
    ({"json": {"text": "a", "url": "http://example.org/"}}, 422, "exactly one of 'text'"),
    ({"json": {"text": 42}}, 422, "'text' must be a string"),
    ({"json": {"text": "x", "colour": "red"}}, 422, "unknown field(s) ['colour']"),
    ({"json": {"text": "x", "format": "pdf"}}, 422, "'format' must be one of"),
    ({"json": {"text": "x", "metadata": {"editor": "me"}}}, 422, "unknown metadata field(s)"),
    ({"json": {"text": "x", "metadata": {"title": 3}}}, 422, "'title' must be a string"),
    ({"json": {"text": "   \n  "}}, 422, "nothing to analyse"),
    ({"files": {"file": ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100))}}, 415, "photo.png"),
    ({"files": {"file": ("data.txt", b"\x00\x01\x02" * 200)}}, 415, "binary"),
    ({"files": {"other": ("a.txt", b"hello")}}, 422, "'file' field"),
    ({"files": {"file": ("two.jsonl", b'{"text": "a b c"}\n{"text": "d e f"}\n')}}, 422,
     "`propscope analyze FILE`"),
    ({"json": {"text": "word " * 50_000}}, 413, "200,000-byte limit, about 33,333 words"),
    ({"json": {"text": "x", "metadata": []}}, 422, "'metadata' must be an object, got list"),
    ({"json": {"text": "x", "metadata": False}}, 422, "'metadata' must be an object, got bool"),
    ({"json": {"text": "x", "format": ""}}, 422, "'format' must be one of"),
    # Parsed by json.loads but refused before any analysis (500s before).
    ({"content": b'{"text": "Hello \\ud800 world."}', "headers": {"Content-Type": "application/json"}},
     400, "\\ud800 is half of a surrogate pair"),
    ({"content": b'{"text": "Hello.", "metadata": {"title": "\\udfff"}}',
      "headers": {"Content-Type": "application/json"}}, 400, "half of a surrogate pair"),
    ({"content": b'{"text": "a", "metadata": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
      "headers": {"Content-Type": "application/json"}}, 400, "nested too deeply"),
    ({"content": b'{"text": "a", "id": ' + b"9" * 5000 + b"}",
      "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
])
def test_bad_requests_get_a_json_error_with_the_right_status(
        api: httpx.Client, kwargs: dict[str, object], status: int, fragment: str) -> None:
    r = api.post("/api/analyze", **kwargs)  # type: ignore[arg-type]
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["status"] == status
    assert fragment.lower() in error["message"].lower()


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"documents": []}, 422, "empty"),
    ({"documents": "abc"}, 422, "list of documents"),
    ({"docs": []}, 422, "documents"),
    ({"documents": [{"text": "a"}] * 4}, 413, "at most 3"),
    ({"documents": [{"text": "fine text"}, {"text": 5}]}, 422, "documents[1]"),
    ({"documents": [{"text": "fine text"}, {"text": " "}]}, 422, "documents[1]"),
])
def test_batch_errors_name_the_failing_document(api: httpx.Client, body: object, status: int,
                                                fragment: str) -> None:
    r = api.post("/api/analyze/batch", json=body)
    assert r.status_code == status, r.text
    assert fragment in r.json()["error"]["message"]


def test_upload_above_the_limit_is_refused_while_streaming(api: httpx.Client) -> None:
    # A chunked body has no Content-Length: the limit must be enforced as bytes arrive.
    def chunks():  # type: ignore[no-untyped-def]
        boundary = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
        yield boundary
        for _ in range(100):
            yield b"x" * 10_000
        yield b"\r\n--b--\r\n"

    r = api.post("/api/analyze", content=chunks(),
                 headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413
    assert "limit" in r.json()["error"]["message"]


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/analyze", 405), ("DELETE", "/api/health", 405), ("GET", "/api/nothing", 404)])
def test_wrong_route_or_method_is_a_json_error(api: httpx.Client, method: str, path: str,
                                               status: int) -> None:
    r = api.request(method, path)
    assert r.status_code == status
    assert r.json()["error"]["status"] == status


def test_page_errors_are_html_with_the_message_escaped(api: httpx.Client) -> None:
    r = api.get("/a/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<script>alert" not in r.text


def test_techniques_rates_follow_the_served_model_object(tmp_path: Path) -> None:
    """Rates come from the artifact the served model was loaded from, never from another."""
    import dataclasses

    from starlette.testclient import TestClient

    from propscope.config import Config
    from propscope.models import load_model
    from propscope.server.app import create_app

    config = Config()
    config = dataclasses.replace(config, server=dataclasses.replace(config.server, store=str(tmp_path)))
    by_path, by_object = Analyzer(model_dir()), Analyzer(load_model(model_dir()))
    assert by_path.model_path == model_dir() and by_object.model_path is None
    for analyzer, scored in ((by_path, load_quality(model_dir()) is not None), (by_object, False)):
        with TestClient(create_app(config, analyzer=analyzer), base_url="http://127.0.0.1") as client:
            body = client.get("/api/techniques").json()
        assert (body["quality"] is not None) == scored
        assert any(t["quality"] for t in body["techniques"]) == scored


def test_sensitivity_broad_labels_more_and_says_so(api: httpx.Client) -> None:
    calibrated = api.post("/api/analyze", json={"text": ARTICLE})
    broad = api.post("/api/analyze", params={"sensitivity": "broad"}, json={"text": ARTICLE})
    assert calibrated.status_code == broad.status_code == 200, broad.text
    calibrated_body, broad_body = calibrated.json(), broad.json()
    assert calibrated_body["model"]["sensitivity"] == 0.0  # the test server's configured level
    assert broad_body["model"]["sensitivity"] == 0.5
    assert len(broad_body["spans"]) > len(calibrated_body["spans"]) > 0
    # A lower threshold per technique keeps every paragraph label and may add some.
    for low, high in zip(calibrated_body["paragraphs"], broad_body["paragraphs"], strict=True):
        assert set(low["techniques"]) <= set(high["techniques"])
    assert broad_body["genre"] == calibrated_body["genre"]
    assert broad_body["frames"] == calibrated_body["frames"]
    # Kept analyses record the level they were made at.
    kept = api.post("/api/analyses?sensitivity=0.5", json={"text": ARTICLE})
    assert kept.status_code == 201
    assert api.get(f"/api/analyses/{kept.headers['x-analysis-id']}").json()["model"]["sensitivity"] == 0.5
    batch = api.post("/api/analyze/batch?sensitivity=precise", json={"documents": [{"text": ARTICLE}]})
    assert batch.json()["documents"][0]["model"]["sensitivity"] == -1.0


@pytest.mark.parametrize("path", ["/api/analyze", "/api/analyze/batch", "/api/analyses"])
@pytest.mark.parametrize("value", ["nonsense", "5", "nan"])
def test_invalid_sensitivity_is_422_naming_the_levels(api: httpx.Client, path: str, value: str) -> None:
    body = {"documents": [{"text": ARTICLE}]} if path.endswith("batch") else {"text": ARTICLE}
    r = api.post(path, params={"sensitivity": value}, json=body)
    assert r.status_code == 422, r.text
    message = r.json()["error"]["message"]
    assert "sensitivity" in message
    assert all(level in message for level in LEVELS), message


def test_openapi_lists_the_sensitivity_parameter(api: httpx.Client) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    for path in ("/api/analyze", "/api/analyze/batch", "/api/analyses"):
        params = {p["name"]: p for p in paths[path]["post"].get("parameters", [])}
        assert "sensitivity" in params, path
        assert params["sensitivity"]["in"] == "query"
        assert params["sensitivity"]["required"] is False
        assert all(level in params["sensitivity"]["description"] for level in LEVELS)


def test_a_server_configured_at_another_level_analyses_and_offers_it(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--sensitivity", "broad")
    try:
        with server.client() as client:
            assert client.get("/api/health").json()["model"]["sensitivity"] == 0.5
            body = client.post("/api/analyze", json={"text": ARTICLE}).json()
            assert body["model"]["sensitivity"] == 0.5  # no parameter: the server's level
            asked = client.post("/api/analyze", params={"sensitivity": "balanced"}, json={"text": ARTICLE})
            assert asked.json()["model"]["sensitivity"] == 0.0
            page = client.get("/").text
            assert '<option value="broad" data-shift="0.5" selected>' in page
            assert '<option value="balanced" data-shift="0">' in page
    finally:
        stop_server(server)
    (tmp_path / "odd").mkdir()
    odd = start_server(tmp_path / "odd", env={"PROPSCOPE_SENSITIVITY": "0.8"})
    try:
        with odd.client() as client:
            assert '<option value="0.8" data-shift="0.8" selected>0.8 — this server' in client.get("/").text
    finally:
        stop_server(odd)


def test_unreadable_rates_are_logged_and_the_server_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A broken ``validation.json`` costs the rates, not the service."""
    import dataclasses
    import logging

    from starlette.testclient import TestClient

    from propscope.config import Config
    from propscope.server.app import create_app

    broken = tmp_path / "model"
    broken.mkdir()
    for f in model_dir().iterdir():
        (broken / f.name).symlink_to(f)
    (broken / "validation.json").unlink(missing_ok=True)
    (broken / "validation.json").write_text("{broken", encoding="utf-8")
    analyzer = Analyzer(broken)
    with pytest.raises(ModelError, match="Unreadable scores"):
        analyzer.quality()  # a script that asks is told
    config = Config()
    config = dataclasses.replace(config, server=dataclasses.replace(config.server, store=str(tmp_path)))
    with caplog.at_level(logging.WARNING), \
            TestClient(create_app(config, analyzer=analyzer), base_url="http://127.0.0.1") as client:
        body = client.get("/api/techniques").json()
        analysed = client.post("/api/analyze", json={"text": ARTICLE})
    assert body["quality"] is None and not any(t["quality"] for t in body["techniques"])
    assert analysed.status_code == 200 and analysed.json()["spans"]
    assert "serving without the model's detection rates" in caplog.text


def test_lang_gives_the_language_and_a_bad_one_is_named(api: httpx.Client) -> None:
    r = api.post("/api/analyze", json={"text": ARTICLE, "lang": "de"})
    assert r.status_code == 200 and r.json()["language"]["code"] == "de"
    assert r.json()["language"]["detected"] is False
    bad = api.post("/api/analyze", json={"text": ARTICLE, "lang": "German"})
    assert bad.status_code == 422 and "'lang'" in bad.json()["error"]["message"]
