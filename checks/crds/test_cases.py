"""Manifests from cases.yaml: each CEL rule and the OpenAPI constraints refuse what they should, with the
expected message or keyword, and accept the variants they should."""

import copy

import pytest

import crdlib

CRDS = crdlib.load_crds()
CASES = crdlib.load_yaml(crdlib.REPO / "checks" / "crds" / "cases.yaml")


def _build(case):
    base = crdlib.load_yaml(crdlib.EXAMPLES_DIR / case["base"])
    new = crdlib.merge_patch(base, case.get("patch", {}))
    if "generate" in case:
        _generate(new, case["generate"])
    old = crdlib.merge_patch(base, case["old"]) if "old" in case else None
    return new, old


def _generate(obj, spec):
    *parents, last = spec["path"]
    for key in parents:
        obj = obj.setdefault(key, {})
    if "list_of" in spec:
        obj[last] = [spec["list_of"]] * spec["count"]
    elif "list_of_one_string_of_length" in spec:
        obj[last] = ["x" * spec["list_of_one_string_of_length"]]
    elif "map_entries" in spec:
        obj[last] = {f"pipeline.key-{i}": "v" for i in range(spec["map_entries"])}
    elif "string_of_length" in spec:
        obj[last] = "x" * spec["string_of_length"]
    else:
        raise ValueError(f"unknown generator {spec}")


def test_case_names_are_unique():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    new, old = _build(case)
    outcome = crdlib.validate_object(new, CRDS[new["kind"]], old=old)
    expect = case["expect"]
    if expect == "accepted":
        assert outcome.accepted, outcome.summary()
    elif "cel" in expect:
        # Only the rule under test may fail: the manifest is otherwise valid.
        assert outcome.schema_errors == [], outcome.summary()
        assert [(f.path, f.message) for f in outcome.cel_failures] == [(expect["path"], expect["cel"])]
    else:
        assert outcome.schema_errors, "expected an OpenAPI validation error, got: accepted"
        found = [(".".join(map(str, e.absolute_path)), e.validator) for e in outcome.schema_errors]
        assert (expect["path"], expect["schema"]) in found, outcome.summary()


def test_every_cel_rule_has_a_failing_case():
    messages = {case["expect"]["cel"] for case in CASES if isinstance(case["expect"], dict) and "cel" in case["expect"]}
    uncovered = [
        f"{kind} {rule.path}: {rule.message}"
        for kind, crd in CRDS.items()
        for rule in crdlib.rules_of(crd)
        if rule.message not in messages
    ]
    assert uncovered == []


def test_every_kind_of_openapi_constraint_has_a_failing_case():
    keywords = {case["expect"]["schema"] for case in CASES if isinstance(case["expect"], dict) and "schema" in case["expect"]}
    assert keywords >= {
        "enum", "pattern", "minimum", "maximum", "maxLength", "maxItems", "maxProperties", "required", "type",
        "additionalProperties", "format", "uniqueItems",
    }


def test_a_failing_case_is_really_detected():
    # The harness itself must be able to fail: a broken manifest is not reported as accepted.
    case = next(c for c in CASES if c["name"] == "jar and sql together")
    new, _ = _build(case)
    assert not crdlib.validate_object(new, CRDS["FlinkJob"]).accepted
    fixed = copy.deepcopy(new)
    del fixed["spec"]["artifact"]["sql"]
    assert crdlib.validate_object(fixed, CRDS["FlinkJob"]).accepted
