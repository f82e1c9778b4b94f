"""Every server-side callback validates its State as well as its Inputs (issue 16 §4): a forged store value
answers like the page's own fallback (the "not an economy" notice, the default language), and never reaches a
link or a figure."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.snapshot
MARK = "FORGED<b>"
FORGED = [MARK, {"x": MARK}, [MARK], 12, None, "", "npl "]


@pytest.fixture(scope="module")
def client():
    from app.wsgi import app

    client = app.server.test_client()
    client.get("/")
    return client


@pytest.fixture(scope="module")
def with_state(client) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if d["state"] and not d.get("clientside_function") and "{" not in d["output"]]


def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def _post(client, dep: dict, state_value, inputs: dict | None = None):
    inputs = inputs or {}
    body = {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]) if dep["output"].startswith("..") else _outputs(dep["output"])[0],
        "inputs": [{**i, "value": inputs.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": state_value} for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body)


def _hrefs(node) -> list[str]:
    """Every ``href`` (and ``download``) value anywhere in a callback answer."""
    if isinstance(node, dict):
        own = [str(v) for k, v in node.items() if k in ("href", "download")]
        return own + [h for v in node.values() for h in _hrefs(v)]
    if isinstance(node, list):
        return [h for v in node for h in _hrefs(v)]
    return []


def test_the_pages_callbacks_with_state_are_all_checked(with_state):
    outputs = " ".join(d["output"] for d in with_state)
    for page in ("country-body", "explore-graph.figure", "gender-body", "overview-body"):
        assert page in outputs


@pytest.mark.parametrize("value", FORGED, ids=repr)
def test_every_callback_with_state_answers_a_forged_state_without_linking_it(client, with_state, value):
    for dep in with_state:
        resp = _post(client, dep, value)
        assert resp.status_code in (200, 204), (dep["output"], resp.get_data(as_text=True)[:300])
        if resp.status_code == 200:
            hrefs = _hrefs(json.loads(resp.get_data()))
            assert not [h for h in hrefs if "FORGED" in h or "npl " in h], (dep["output"], hrefs[:5])


def test_a_forged_country_code_gets_the_not_found_notice_and_no_links(client, with_state):
    dep = next(d for d in with_state if "country-body" in d["output"])
    values = {"country-indicator": "internet_users", "country-from": "2005", "country-to": "2024"}
    resp = _post(client, dep, MARK, values)
    assert resp.status_code == 200
    answer = json.loads(resp.get_data())["response"]
    body = json.dumps(answer["country-body"]["children"])
    assert "is not an economy in the data" in body
    assert "/download/" not in body and "href" not in body.replace('"href": "/country/', "")


def test_a_known_country_code_in_the_state_is_drawn(client, with_state):
    dep = next(d for d in with_state if "country-body" in d["output"])
    values = {"country-indicator": "internet_users", "country-from": "2005", "country-to": "2024"}
    body = json.dumps(json.loads(_post(client, dep, "NPL", values).get_data())["response"]["country-body"])
    assert "/download/country.png?iso3=NPL&" in body and "not an economy" not in body
