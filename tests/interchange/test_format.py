"""The interchange format: JSON round trip, the JSON Schema in docs/ kept current, strict reading."""

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from civicplan import interchange
from civicplan.importing.pipeline import parse_file
from civicplan.interchange.schema import json_schema
from civicplan.interchange.serialise import FormatError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads(resources.files("civicplan.demo").joinpath("sample_keelung_109_112.json").read_text("utf-8"))


def test_the_schema_in_docs_is_current():
    written = json.loads((ROOT / "docs" / "interchange.schema.json").read_text("utf-8"))
    assert written == json_schema(), "run: python -m civicplan.interchange.schema > docs/interchange.schema.json"


def test_every_field_is_explained_in_docs():
    page = (ROOT / "docs" / "interchange.md").read_text("utf-8")
    schema = json_schema()
    names = set(schema["properties"]) | {p for d in schema["$defs"].values() for p in d["properties"]}
    missing = sorted(n for n in names if f"`{n}`" not in page)
    assert not missing, f"docs/interchange.md does not explain {missing}"


def test_the_demo_sample_is_valid_and_round_trips():
    jsonschema.validate(SAMPLE, json_schema())
    document = interchange.from_dict(SAMPLE)
    again = interchange.from_dict(interchange.to_dict(document))
    assert again == document


@pytest.mark.parametrize("name", ["000_f42f77be8cbf6647.txt", "001_995202fc11adf421.txt", "002_f2147262ea2e9bf5.txt",
                                  "003_f78f01ac8dc70682.txt", "004_518a493018a85667.txt"])
def test_every_imported_seed_is_valid_and_round_trips(seeds_dir, name):
    document = parse_file(seeds_dir / name).document
    data = json.loads(interchange.to_json(document))
    jsonschema.validate(data, json_schema())
    assert interchange.from_dict(data) == document
    assert data["source"]["sha256"] and data["source"]["file"] == name


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(format="civicplan.plan/9"), "document.format"),
    (lambda d: d["chapters"][0]["goals"][0].update(seq="1"), "chapters[0].goals[0].seq"),
    (lambda d: d["chapters"][1]["goals"][2]["indicators"][0]["targets"][0].pop("year"), "targets[0].year"),
    (lambda d: d["chapters"][0].update(goals={}), "chapters[0].goals"),
    (lambda d: d["chapters"][0]["goals"][0]["indicators"][0].update(wccd="yes"), "indicators[0].wccd"),
])
def test_reading_is_strict_and_names_the_place(change, where):
    data = json.loads(json.dumps(SAMPLE))
    change(data)
    with pytest.raises(FormatError) as error:
        interchange.from_dict(data)
    assert where in str(error.value)


def test_not_json_says_where():
    with pytest.raises(FormatError, match="line 2"):
        interchange.from_json('{"format":\n oops}')
