"""An integrator's script written only from the OpenAPI document.

It reads /api/v1/openapi.json, finds every operation by its operationId, and with those
alone builds a scorecard with measures, an OKR that contributes to it, checks in, and
reads back the rolled-up scores.

    python scripts/api_walkthrough.py http://127.0.0.1:8000 lds_yourtoken
"""

import sys
from datetime import date

import requests


class Api:
    def __init__(self, base_url: str, token: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        document = self.session.get(f"{self.base_url}/api/v1/openapi.json", timeout=30).json()
        self.operations = {
            operation["operationId"]: (method.upper(), path)
            for path, item in document["paths"].items()
            for method, operation in item.items()
        }

    def call(self, operation_id: str, body: dict | None = None, **params) -> dict:
        method, path = self.operations[operation_id]
        path = path.format(**{k: params.pop(k) for k in list(params) if "{" + k + "}" in path})
        response = self.session.request(
            method, self.base_url + path, json=body, params=params, timeout=30
        )
        if response.status_code >= 400:
            raise SystemExit(f"{operation_id}: {response.status_code} {response.text}")
        return response.json()


def walkthrough(api: Api, say=print) -> dict:
    today = date.today()
    [root] = [u for u in api.call("unit_list", limit=500)["items"] if u["parent"] is None]
    scorecard = api.call(
        "scorecard_create",
        {
            "unit": root["id"],
            "name": f"API walkthrough {today.isoformat()}",
            "period_start": f"{today.year}-01-01",
            "period_end": f"{today.year}-12-31",
        },
    )
    perspectives = api.call("perspective_list", scorecard=scorecard["id"])["items"]
    customer = next(p for p in perspectives if p["name"] == "Customer")
    objective = api.call(
        "strategic_objective_create",
        {"scorecard": scorecard["id"], "perspective": customer["id"], "name": "Delight users"},
    )
    nps = api.call(
        "measure_create",
        {"objective": objective["id"], "name": "NPS", "baseline": 20, "target": 50},
    )
    churn = api.call(
        "measure_create",
        {
            "objective": objective["id"],
            "name": "Churn %",
            "direction": "lower",
            "baseline": 8,
            "target": 4,
        },
    )
    api.call(
        "measure_value_create", {"measure": churn["id"], "period": today.isoformat(), "actual": 6}
    )
    active = api.call("cycle_list", state="active")["items"]
    if active:
        cycle = active[0]
    else:
        cycle = api.call(
            "cycle_create",
            {
                "name": f"API cycle {today}",
                "start": f"{today.year}-01-01",
                "end": f"{today.year}-12-31",
            },
        )
        cycle = api.call("cycle_activate", id=cycle["id"])
    okr = api.call(
        "objective_create",
        {
            "cycle": cycle["id"],
            "title": "Make onboarding effortless",
            "unit": root["id"],
            "contributes_to": [objective["id"]],
        },
    )
    key_result = api.call(
        "key_result_create",
        {
            "objective": okr["id"],
            "title": "NPS from 20 to 50",
            "baseline": 20,
            "target": 50,
            "linked_measure": nps["id"],
        },
    )
    api.call(
        "check_in_create",
        {"key_result": key_result["id"], "value": 41, "confidence": 8, "note": "New tour shipped"},
    )
    scores = {
        "key_result": api.call("key_result_read", id=key_result["id"]),
        "okr": api.call("objective_read", id=okr["id"]),
        "strategic_objective": api.call("strategic_objective_read", id=objective["id"]),
        "scorecard": api.call("scorecard_summary", id=scorecard["id"]),
    }
    say(f"key result score {scores['key_result']['score']:.2f} ({scores['key_result']['pace']})")
    say(f"OKR score {scores['okr']['score']:.2f}")
    strategic = scores["strategic_objective"]
    say(
        f"strategic objective performance {strategic['performance']:.2f}, "
        f"execution {strategic['execution']:.2f}"
    )
    say(f"scorecard score {scores['scorecard']['score']:.2f}")
    return scores


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    walkthrough(Api(sys.argv[1], sys.argv[2]))
