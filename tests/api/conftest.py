import json


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["items"]]


def names(response) -> list[str]:
    return sorted(row["name"] for row in response.json()["items"])


def text(response) -> str:
    """The JSON body with non-ASCII kept, so "not in" checks on Chinese names really check."""
    return json.dumps(response.json(), ensure_ascii=False)
