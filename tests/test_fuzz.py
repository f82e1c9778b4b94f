"""Property-based fuzzing of the app through Flask's test client (hypothesis, derandomized for CI).

10,500 generated requests in total under the ``ci`` Hypothesis profile (``CI=true``; about 3 min of CPU on one
core), a tenth under ``dev``, the default (tests/conftest.py); ``FUZZ_SCALE=0.1`` scales either further:

* GETs of every page path (and /data.csv, /data.json) with hostile query strings;
* Dash Pages' ``_pages_location`` callback (which renders a page's layout from pathname + search) with the same
  query strings: an invalid parameter must show the in-page notice (``#url-notice``);
* every server-side callback with well-typed values (what its components can send: strings, lists of strings,
  booleans, None) — must answer 200/204 and log no exception;
* every server-side callback with values of any JSON type, and malformed callback bodies — must answer 200/204 or
  400, never 500.

No response may carry a traceback. Callback payloads are built from ``/_dash-dependencies``, so the file follows
the app's callbacks as they change.
"""

from __future__ import annotations

import json
import logging
import os
import re
import string
from functools import cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.state import AboutView, CountryView, ExploreView, GenderView, OverviewView, parse
from tests.support.examples import examples

FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as generated, in seconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
#: A further factor on the profile's counts (tests/support/examples.py): the ``ci`` profile (CI=true) runs the full
#: counts (more than 10,000 examples in all), ``dev`` a tenth; FUZZ_SCALE=0.1 on top for a quicker local run.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(full: int) -> settings:
    return settings(FUZZ, max_examples=max(1, int(examples(full) * SCALE)))


TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")
PAGES = {"/": OverviewView, "/explore": ExploreView, "/gender": GenderView, "/country/NPL": CountryView}
PAGES |= {"/about": AboutView}
PARAMS = ["indicator", "sex", "group", "countries", "from", "to", "tab", "members", "year", "lang", "members_of"]
VALID = [
    "internet_users",
    "households_internet",
    "mobile_ownership",
    "female",
    "male",
    "total",
    "LDC",
    "SIDS",
    "WLD",
    "LDC,SIDS",
    "NPL",
    "NPL,ETH,FJI",
    "2000",
    "2015",
    "2024",
    "1999",
    "3000",
    "map",
    "ranking",
    "table",
    "chart",
    "1",
    "0",
    "zh",
    "en",
    "latest",
    "",
]
HOSTILE = [
    "<script>alert(1)</script>",
    "'\"><img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202e",
    "𝕏",
    "١٢٣٤",
    "1e309",
    "-1",
    "NaN",
    "[]",
    "{}",
    "__proto__",
    "x" * 401,
    ",,,,",
    "LDC," * 20,
    "%E0%A4%A",
    "%ff%fe",
]


@cache
def _app():
    from app.wsgi import app

    return app


@pytest.fixture(scope="module")
def client():
    app = _app()
    logging.getLogger("app.security").setLevel(logging.CRITICAL)  # 400s are expected; failures are asserted
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client) -> list[dict]:
    """The server-side callbacks (not clientside, not pattern-matching), from /_dash-dependencies."""
    client.get("/")
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function") and "{" not in d["output"]]


def outputs_of(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def payload(dep: dict, values: list, state_values: list) -> dict:
    inputs = [{**i, "value": v} for i, v in zip(dep["inputs"], values, strict=True)]
    state = [{**s, "value": v} for s, v in zip(dep["state"], state_values, strict=True)]
    first = dep["inputs"][0]
    return {
        "output": dep["output"],
        "outputs": outputs_of(dep["output"]) if dep["output"].startswith("..") else outputs_of(dep["output"])[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


def assert_clean(resp, allowed=(200, 204)) -> str:
    text = resp.get_data(as_text=True)
    assert resp.status_code in allowed, (resp.status_code, text[:500])
    assert not TRACEBACK.search(text), text[:2000]
    return text


# ---- strategies -------------------------------------------------------------------------------------------------

piece = st.one_of(
    st.sampled_from(VALID),
    st.sampled_from(HOSTILE),
    st.text(max_size=30),
    st.text(alphabet=string.ascii_uppercase + ",", max_size=40),
    st.integers(-(10**6), 10**6).map(str),
)
key = st.one_of(st.sampled_from(PARAMS), st.text(max_size=12))
encoded_value = piece.map(lambda v: re.sub(r"[&#]", lambda m: f"%{ord(m[0]):02X}", v))


@st.composite
def query_strings(draw) -> str:
    """A query string: known and unknown keys, valid and hostile values, raw or percent-encoded, duplicated keys."""
    pairs = draw(st.lists(st.tuples(key, encoded_value), max_size=8))
    raw = "&".join(f"{k}={v}" for k, v in pairs)
    return draw(st.sampled_from(["", "?"])) + raw + draw(st.sampled_from(["", "&", "&&=", "#frag", "&=x"]))


page_paths = st.one_of(
    st.sampled_from([*PAGES, "/country", "/data.csv", "/data.json"]),
    st.text(alphabet=string.ascii_letters + "/.-_%", max_size=20).map(lambda p: "/country/" + p),
    # not "//…": the test client would read that as a host name (a network-path reference), not a path
    st.text(max_size=20).map(lambda p: "/" + p.replace("?", "").replace("#", "").lstrip("/")),
)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
json_value = st.recursive(
    json_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
)


def well_typed(prop: str) -> st.SearchStrategy:
    """What a component can send for ``prop``: Select/Segmented values (app/controls.py) are strings (MultiSelect:
    lists of strings), Switch ``checked`` a bool, Location parts strings, Store data and clicks JSON-ish scalars."""
    if prop == "checked":
        return st.one_of(st.none(), st.booleans())
    if prop in ("pathname", "search", "hash", "href"):
        return st.one_of(st.none(), piece, query_strings())
    if prop == "n_clicks":
        return st.one_of(st.none(), st.integers(0, 10**6))
    if prop == "data":  # the pages' stores hold a language or an ISO3 code the server wrote
        return st.one_of(st.none(), piece)
    return st.one_of(st.none(), piece, st.lists(piece, max_size=14))


# ---- GET with hostile query strings ---------------------------------------------------------------------------


@fuzz(6000)
@given(path=page_paths, query=query_strings())
def test_page_get_never_fails(client, path, query):
    url = path + ("?" + query.lstrip("?") if query else "")
    resp = client.get(url)
    text = assert_clean(resp, allowed=(200, 301, 308, 400, 404))
    if path.startswith("/data.") and resp.status_code == 400:
        assert "Traceback" not in text


# ---- Dash Pages: layouts rendered from pathname + search -------------------------------------------------------


def pages_location(client, callbacks, pathname, search):
    dep = next(d for d in callbacks if "_pages_content.children" in d["output"])
    return client.post("/_dash-update-component", json=payload(dep, [pathname, search], []))


@fuzz(800)
@given(path=st.sampled_from(list(PAGES)), query=query_strings())
def test_layouts_show_a_notice_for_every_invalid_parameter(client, callbacks, path, query):
    search = "?" + query.lstrip("?") if query else ""
    text = assert_clean(pages_location(client, callbacks, path, search), allowed=(200,))
    view_cls = PAGES[path]
    from app.context import url_context

    _view, notices = parse(view_cls, search.split("#")[0], url_context())
    if notices:
        assert "url-notice" in text, (path, search, notices)


@fuzz(300)
@given(path=page_paths, search=st.one_of(st.none(), st.text(max_size=40), query_strings()))
def test_any_pathname_renders_a_page(client, callbacks, path, search):
    assert_clean(pages_location(client, callbacks, path, search), allowed=(200, 204))


# ---- every server-side callback ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def error_log():
    """Records what the app logs at ERROR (a callback that raised) while the well-typed tests run."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.ERROR)
    logger = logging.getLogger("app.security")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@fuzz(200)
@given(data=st.data())
def test_callbacks_with_well_typed_values_answer(client, callbacks, error_log, data):
    dep = data.draw(st.sampled_from([d for d in callbacks if "_pages_content" not in d["output"]]))
    values = [data.draw(well_typed(i["property"])) for i in dep["inputs"]]
    state = [data.draw(well_typed(i["property"])) for i in dep["state"]]
    error_log.clear()
    resp = client.post("/_dash-update-component", json=payload(dep, values, state))
    assert_clean(resp, allowed=(200, 204))
    assert not error_log, (dep["output"], values, state, error_log[0].exc_info)


@fuzz(400)
@given(data=st.data())
def test_callbacks_with_any_json_values_never_500(client, callbacks, data):
    dep = data.draw(st.sampled_from(callbacks))
    values = [data.draw(json_value) for _ in dep["inputs"]]
    state = [data.draw(json_value) for _ in dep["state"]]
    assert_clean(client.post("/_dash-update-component", json=payload(dep, values, state)), allowed=(200, 204, 400))


@fuzz(2800)
@given(data=st.data())
def test_malformed_callback_bodies_get_400(client, callbacks, data):
    dep = data.draw(st.sampled_from(callbacks))
    good = payload(dep, [None] * len(dep["inputs"]), [None] * len(dep["state"]))
    mutation = data.draw(st.sampled_from(["drop", "replace", "garbage", "output"]))
    if mutation == "garbage":
        body = data.draw(st.one_of(st.binary(max_size=200), json_value.map(lambda v: json.dumps(v).encode())))
        resp = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert_clean(resp, allowed=(400,))
        return
    body = dict(good)
    field = data.draw(st.sampled_from(sorted(good)))
    if mutation == "drop":
        body.pop(field)
    elif mutation == "replace":
        body[field] = data.draw(json_value)
    else:
        body["output"] = data.draw(st.text(max_size=40))
    resp = client.post("/_dash-update-component", json=body)
    assert_clean(resp, allowed=(200, 204, 400))


def test_an_oversized_callback_body_is_refused(client, callbacks):
    dep = callbacks[0]
    body = payload(dep, ["x" * 300_000] + [None] * (len(dep["inputs"]) - 1), [None] * len(dep["state"]))
    assert client.post("/_dash-update-component", json=body).status_code == 413
