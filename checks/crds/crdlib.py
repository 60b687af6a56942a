"""Offline model of what a kube-apiserver does with the project's CRDs and custom resources.

The checks follow the apiextensions rules that matter for these CRDs:
structural schemas, defaulting (top-down, nested defaults applied to defaulted parents), OpenAPI value
validation (types, enums, RE2 patterns, bounds, formats), and CEL `x-kubernetes-validations` rules evaluated
with cel-python (which uses RE2 for `matches()`, like the server). Unknown fields are treated as errors here
(a real server prunes them with a warning; in an example manifest they are always a typo).

It is not a kube-apiserver: the CEL cost is not estimated, only the bounds the estimator needs are checked
(see `unbounded_rule_touches`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import celpy
import jsonschema
import re2
import yaml

REPO = Path(__file__).resolve().parents[2]
CRD_DIR = REPO / "crds"
EXAMPLES_DIR = REPO / "examples"
GROUP = "flink.jobcontroller.io"
VERSION = "v1alpha1"

# Keys a structural schema node may carry in these CRDs. Anything else (for example $ref, anyOf, oneOf,
# not, allOf, patternProperties, dependencies, definitions) is either forbidden by apiextensions or unused
# here and would need a review of this checker first.
ALLOWED_SCHEMA_KEYS = {
    "type", "description", "properties", "additionalProperties", "items", "required", "default", "enum",
    "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
    "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "nullable", "title",
    "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    "x-kubernetes-validations",
}

# CEL member functions and macros: a `self.a.b` chain stops at these names.
CEL_FUNCTIONS = {
    "matches", "startsWith", "endsWith", "contains", "size", "all", "exists", "exists_one", "filter", "map",
}
ITERATING_MACROS = {"all", "exists", "exists_one", "filter", "map"}

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


# --------------------------------------------------------------------------------------------------------
# Loading


def load_yaml(path: Path) -> Any:
    """Loads one YAML document."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def crd_paths() -> list[Path]:
    """The CRD files shipped in crds/."""
    return sorted(CRD_DIR.glob("*.yaml"))


def example_paths() -> list[Path]:
    """The example manifests directly in examples/ (examples/local/ belongs to the local mode)."""
    return sorted(EXAMPLES_DIR.glob("*.yaml"))


def load_crds() -> dict[str, dict]:
    """CRDs by kind."""
    crds = {}
    for path in crd_paths():
        crd = load_yaml(path)
        crds[crd["spec"]["names"]["kind"]] = crd
    return crds


def version_of(crd: dict, name: str = VERSION) -> dict:
    """The named entry of spec.versions."""
    for version in crd["spec"]["versions"]:
        if version["name"] == name:
            return version
    raise KeyError(f"{crd['metadata']['name']} has no version {name}")


def root_schema(crd: dict) -> dict:
    """openAPIV3Schema of the served version."""
    return version_of(crd)["schema"]["openAPIV3Schema"]


# --------------------------------------------------------------------------------------------------------
# Walking schemas


@dataclass(frozen=True)
class Node:
    """One schema node and where it sits. `path` uses `.name` for properties, `[]` for items, `{}` for map values."""

    path: str
    schema: dict
    is_property: bool


def walk(schema: dict, path: str = "") -> Iterator[Node]:
    """Every node of a schema, depth first, the root first."""
    yield Node(path, schema, is_property=False)
    yield from _walk_children(schema, path)


def _walk_children(schema: dict, path: str) -> Iterator[Node]:
    for name, child in (schema.get("properties") or {}).items():
        child_path = f"{path}.{name}"
        yield Node(child_path, child, is_property=True)
        yield from _walk_children(child, child_path)
    items = schema.get("items")
    if isinstance(items, dict):
        yield Node(f"{path}[]", items, is_property=True)
        yield from _walk_children(items, f"{path}[]")
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict):
        yield Node(f"{path}{{}}", additional, is_property=True)
        yield from _walk_children(additional, f"{path}{{}}")


def node_at(schema: dict, path: str) -> dict | None:
    """The schema node at a dotted path (`.spec.batch.schedule`, `[]` steps into items); None if absent."""
    node = schema
    for step in re.findall(r"\.[A-Za-z_$][\w$-]*|\[\]|\{\}", path):
        if step == "[]":
            node = node.get("items")
        elif step == "{}":
            node = node.get("additionalProperties")
        else:
            node = (node.get("properties") or {}).get(step[1:])
        if not isinstance(node, dict):
            return None
    return node


def is_map_node(schema: dict) -> bool:
    """True for `type: object` with `additionalProperties` (a map in CEL)."""
    return schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict)


# --------------------------------------------------------------------------------------------------------
# Structural and documentation checks


def structural_problems(crd: dict) -> list[str]:
    """Violations of the structural-schema rules (and of the subset of keys these CRDs may use)."""
    schema = root_schema(crd)
    problems = []
    for node in walk(schema):
        where = node.path or "<root>"
        s = node.schema
        unknown = set(s) - ALLOWED_SCHEMA_KEYS
        if unknown:
            problems.append(f"{where}: unsupported schema keys {sorted(unknown)}")
        has_type = "type" in s
        if not has_type and not s.get("x-kubernetes-preserve-unknown-fields") and not s.get(
            "x-kubernetes-int-or-string"
        ):
            problems.append(f"{where}: no type (structural schemas need one on every node)")
        if has_type and s["type"] not in {"object", "array", "string", "integer", "number", "boolean"}:
            problems.append(f"{where}: unknown type {s['type']!r}")
        if "properties" in s and "additionalProperties" in s:
            problems.append(f"{where}: properties and additionalProperties are mutually exclusive")
        if s.get("type") == "array" and not isinstance(s.get("items"), dict):
            problems.append(f"{where}: array without a single items schema")
        if ("properties" in s or "additionalProperties" in s) and s.get("type") != "object":
            problems.append(f"{where}: properties on a non-object")
        for name in s.get("required", []):
            if name not in (s.get("properties") or {}):
                problems.append(f"{where}: required field {name!r} is not a property")
        for value in s.get("enum", []):
            if not _matches_type(value, s.get("type")):
                problems.append(f"{where}: enum value {value!r} is not a {s.get('type')}")
        list_type = s.get("x-kubernetes-list-type")
        if list_type is not None:
            if s.get("type") != "array" or list_type not in {"atomic", "set", "map"}:
                problems.append(f"{where}: invalid x-kubernetes-list-type {list_type!r}")
            items = s.get("items") or {}
            if list_type == "set" and items.get("type") not in {"string", "integer", "number", "boolean"}:
                problems.append(f"{where}: listType set needs scalar items")
            if list_type == "map":
                keys = s.get("x-kubernetes-list-map-keys") or []
                if not keys:
                    problems.append(f"{where}: listType map without x-kubernetes-list-map-keys")
                for key in keys:
                    key_schema = (items.get("properties") or {}).get(key)
                    if key_schema is None:
                        problems.append(f"{where}: list map key {key!r} is not an item property")
                    elif key not in items.get("required", []) and "default" not in key_schema:
                        problems.append(f"{where}: list map key {key!r} must be required or defaulted")
        for rule in s.get("x-kubernetes-validations", []):
            if not rule.get("rule") or not rule.get("message"):
                problems.append(f"{where}: every x-kubernetes-validations entry needs a rule and a message")
            if "\n" in rule.get("message", ""):
                problems.append(f"{where}: rule messages must be one line")
        if node.path in {".metadata"}:
            # apiextensions only lets root metadata say `type: object` (plus name/generateName restrictions).
            if set(s) - {"type"}:
                problems.append(f"{where}: metadata may only specify type: object")
        if node.path == "" and "default" in s:
            problems.append("<root>: defaults are not allowed at the root")
    return problems


def _matches_type(value: Any, schema_type: str | None) -> bool:
    if schema_type == "string":
        return isinstance(value, str)
    if schema_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if schema_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if schema_type == "boolean":
        return isinstance(value, bool)
    return True


def undocumented_fields(crd: dict) -> list[str]:
    """Schema nodes (properties, items, map values, the root) without a non-empty description."""
    missing = []
    for node in walk(root_schema(crd)):
        if node.path == ".metadata":
            continue  # kubectl explain shows ObjectMeta's own documentation; apiextensions forbids more here.
        if not str(node.schema.get("description", "")).strip():
            missing.append(node.path or "<root>")
    return missing


# --------------------------------------------------------------------------------------------------------
# OpenAPI value validation through jsonschema


def to_json_schema(schema: dict, strict: bool = True) -> dict:
    """Translates a structural OpenAPI v3 schema to JSON Schema (draft 7).

    With `strict`, objects with `properties` and no `x-kubernetes-preserve-unknown-fields` refuse unknown
    fields (the server would prune them with a warning; in a test they are mistakes).
    """
    out: dict[str, Any] = {}
    for key in (
        "type", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
        "minProperties", "maxProperties", "required", "format",
    ):
        if key in schema:
            out[key] = copy.deepcopy(schema[key])
    if schema.get("exclusiveMinimum") is True:
        out["exclusiveMinimum"] = out.pop("minimum")
    if schema.get("exclusiveMaximum") is True:
        out["exclusiveMaximum"] = out.pop("maximum")
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if schema.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if "properties" in schema:
        out["properties"] = {k: to_json_schema(v, strict) for k, v in schema["properties"].items()}
        if strict and not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    if isinstance(schema.get("additionalProperties"), dict):
        out["additionalProperties"] = to_json_schema(schema["additionalProperties"], strict)
    if isinstance(schema.get("items"), dict):
        out["items"] = to_json_schema(schema["items"], strict)
    if schema.get("x-kubernetes-list-type") == "set":
        out["uniqueItems"] = True
    return out


def _re2_pattern(validator, pattern, instance, schema):
    # The apiserver evaluates `pattern` with Go's regexp (RE2 syntax, unanchored search); Python's re differs
    # in corners (for example \d and Unicode), so RE2 it is.
    if validator.is_type(instance, "string") and not re2.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_format_checker = jsonschema.FormatChecker(formats=())


@_format_checker.checks("date-time")
def _is_date_time(value: Any) -> bool:
    return not isinstance(value, str) or bool(RFC3339.match(value))


_Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _re2_pattern})


def schema_errors(obj: Any, schema: dict, strict: bool = True) -> list[jsonschema.ValidationError]:
    """OpenAPI validation errors of `obj` against a structural schema node, sorted by path."""
    validator = _Validator(to_json_schema(schema, strict), format_checker=_format_checker)
    return sorted(validator.iter_errors(obj), key=lambda e: (list(map(str, e.absolute_path)), e.validator))


def describe_error(error: jsonschema.ValidationError) -> str:
    """`spec.parallelism: minimum: ...` - the path, the failed keyword and the message."""
    path = ".".join(str(p) for p in error.absolute_path)
    return f"{path}: {error.validator}: {error.message}"


# --------------------------------------------------------------------------------------------------------
# Defaulting


def apply_defaults(obj: Any, schema: dict) -> Any:
    """Applies schema defaults like the apiserver: missing properties get a copy of their default, then the
    walk continues into every present property (so nested defaults apply inside a defaulted `{}`)."""
    obj = copy.deepcopy(obj)
    _default_in_place(obj, schema)
    return obj


def _default_in_place(obj: Any, schema: dict) -> None:
    if isinstance(obj, dict):
        properties = schema.get("properties") or {}
        for name, child in properties.items():
            if name not in obj and "default" in child:
                obj[name] = copy.deepcopy(child["default"])
        for name, value in obj.items():
            if name in properties:
                _default_in_place(value, properties[name])
            elif isinstance(schema.get("additionalProperties"), dict):
                _default_in_place(value, schema["additionalProperties"])
    elif isinstance(obj, list) and isinstance(schema.get("items"), dict):
        for item in obj:
            _default_in_place(item, schema["items"])


# --------------------------------------------------------------------------------------------------------
# CEL


@dataclass(frozen=True)
class Rule:
    """One x-kubernetes-validations entry and the schema node it is attached to."""

    path: str
    rule: str
    message: str
    schema: dict

    @property
    def is_transition_rule(self) -> bool:
        """Rules mentioning oldSelf run on updates only, when the old object has a value here."""
        return re.search(r"\boldSelf\b", self.rule) is not None


def rules_of(crd: dict) -> list[Rule]:
    """Every CEL rule of a CRD's served version, in schema order."""
    rules = []
    for node in walk(root_schema(crd)):
        for entry in node.schema.get("x-kubernetes-validations", []):
            rules.append(Rule(node.path, entry["rule"], entry["message"], node.schema))
    return rules


_cel_env = celpy.Environment()
_program_cache: dict[str, Any] = {}


def cel_program(rule: str):
    """Compiles a rule once (raises celpy.CELParseError for syntax cel-python cannot parse)."""
    if rule not in _program_cache:
        _program_cache[rule] = _cel_env.program(_cel_env.compile(rule))
    return _program_cache[rule]


@dataclass(frozen=True)
class RuleFailure:
    """A rule that evaluated to false (or failed to evaluate) at a concrete object path."""

    path: str
    message: str
    rule: str


_MISSING = object()


def cel_failures(obj: Any, schema: dict, old: Any = _MISSING) -> list[RuleFailure]:
    """Evaluates every CEL rule against the (already defaulted) object, walking object and schema together.

    Rules on absent values are not evaluated, as on the server. Transition rules (oldSelf) are evaluated only
    when `old` has a value at the same path. An evaluation error counts as a failure carrying the error.
    """
    failures: list[RuleFailure] = []
    _cel_walk(obj, old, schema, "", failures)
    return failures


def _cel_walk(value: Any, old: Any, schema: dict, path: str, failures: list[RuleFailure]) -> None:
    for entry in schema.get("x-kubernetes-validations", []):
        rule = entry["rule"]
        transition = re.search(r"\boldSelf\b", rule) is not None
        if transition and old is _MISSING:
            continue
        activation = {"self": celpy.json_to_cel(value)}
        if transition:
            activation["oldSelf"] = celpy.json_to_cel(old)
        try:
            result = cel_program(rule).evaluate(activation)
        except celpy.CELEvalError as error:
            failures.append(RuleFailure(path, f"evaluation error: {error}", rule))
            continue
        if isinstance(result, celpy.CELEvalError) or not isinstance(result, celpy.celtypes.BoolType):
            failures.append(RuleFailure(path, f"evaluation error: {result!r}", rule))
        elif not bool(result):
            failures.append(RuleFailure(path, entry["message"], rule))
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for name, child_value in value.items():
            child_schema = properties.get(name)
            if child_schema is None and isinstance(schema.get("additionalProperties"), dict):
                child_schema = schema["additionalProperties"]
            if child_schema is None:
                continue
            child_old = old.get(name, _MISSING) if isinstance(old, dict) else _MISSING
            _cel_walk(child_value, child_old, child_schema, f"{path}.{name}", failures)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        # Old list items are correlated only for listType=map on the server; these CRDs have no transition
        # rules below lists, so items get no oldSelf.
        for index, item in enumerate(value):
            _cel_walk(item, _MISSING, schema["items"], f"{path}[{index}]", failures)


# --------------------------------------------------------------------------------------------------------
# CEL cost bounds


_SELF_CHAIN = re.compile(r"\b(self|oldSelf)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)(\s*\()?")


def touched_nodes(rule: Rule) -> list[tuple[str, dict, str]]:
    """Schema nodes a rule reads, as (path, schema, how) with how = value | items | keys.

    A `self.a.b` chain resolves field by field from the rule's node and stops at a CEL function or macro;
    a chain ending in an iterating macro (all, exists, filter, ...) also touches the list's items or the
    map's keys.
    """
    touched = []
    for match in _SELF_CHAIN.finditer(rule.rule):
        steps = [s for s in match.group(2).split(".") if s]
        node, path = rule.schema, rule.path
        called = None
        for index, step in enumerate(steps):
            is_last = index == len(steps) - 1
            if step in CEL_FUNCTIONS and (not is_last or match.group(3)):
                called = step
                break
            child = (node.get("properties") or {}).get(step)
            if child is None:
                raise ValueError(f"rule at {rule.path or '<root>'} reads unknown field {step!r}: {rule.rule}")
            node, path = child, f"{path}.{step}"
        touched.append((path, node, "value"))
        if called in ITERATING_MACROS:
            if node.get("type") == "array":
                touched.append((f"{path}[]", node["items"], "items"))
            elif is_map_node(node):
                touched.append((f"{path}{{}}", node, "keys"))
    return touched


def unbounded_rule_touches(crd: dict) -> list[str]:
    """Strings, lists and maps that a CEL rule reads without maxLength / maxItems / maxProperties.

    A real 1.32 apiserver estimates every rule's worst-case cost from these bounds and refuses the CRD when
    the estimate exceeds the budget (verified with unbounded args, digest and flinkConfiguration). Map keys
    cannot be bounded in a schema, so a rule iterating a map may only use the key in `k.size()`,
    `k.startsWith('...')` and `k in [...]`, whose cost does not depend on the key's length.
    """
    problems = []
    for rule in rules_of(crd):
        for path, node, how in touched_nodes(rule):
            where = f"{path or '<root>'} (rule: {rule.rule})"
            kind = node.get("type")
            if how == "keys":
                problems.extend(f"{where}: {p}" for p in _map_key_misuse(rule.rule))
                if "maxProperties" not in node:
                    problems.append(f"{where}: map without maxProperties")
            elif kind == "string" and "maxLength" not in node:
                problems.append(f"{where}: string without maxLength")
            elif kind == "array" and "maxItems" not in node:
                problems.append(f"{where}: list without maxItems")
            elif is_map_node(node) and "maxProperties" not in node:
                problems.append(f"{where}: map without maxProperties")
            if how == "items" and kind == "string" and "maxLength" not in node:
                problems.append(f"{where}: list items without maxLength")
    return problems


def _map_key_misuse(rule: str) -> list[str]:
    problems = []
    if re.search(r"\bself\[", rule):
        problems.append("map values read by index; bound them and extend this check")
    for match in re.finditer(r"\.(?:all|exists|exists_one|filter|map)\(\s*([A-Za-z_]\w*)\s*,", rule):
        var = match.group(1)
        rest = rule[match.end():]
        stripped = re.sub(rf"\b{var}\.size\(\)|\b{var}\.startsWith\('[^']*'\)|\b{var} in \[", "", rest)
        if re.search(rf"\b{var}\b", stripped):
            problems.append(f"map key {var!r} is used in a way whose cost depends on its (unbounded) length")
    return problems


# --------------------------------------------------------------------------------------------------------
# Whole-object validation


@dataclass
class Outcome:
    """What a server would say about a create/update: OpenAPI errors first, CEL failures if none."""

    defaulted: Any
    schema_errors: list[jsonschema.ValidationError]
    cel_failures: list[RuleFailure]

    @property
    def accepted(self) -> bool:
        """True if the object would be stored."""
        return not self.schema_errors and not self.cel_failures

    def summary(self) -> str:
        """One line per problem, for assertion messages."""
        lines = [describe_error(e) for e in self.schema_errors]
        lines += [f"{f.path}: CEL: {f.message}" for f in self.cel_failures]
        return "\n".join(lines) or "accepted"


def validate_object(obj: dict, crd: dict, old: dict | None = None, strict: bool = True) -> Outcome:
    """Defaults, then validates an object (create, or update when `old` is given) against a CRD.

    Like the server, CEL rules are only reported when the OpenAPI validation passed (the server says "some
    validation rules were not checked because the object was invalid").
    """
    schema = root_schema(crd)
    defaulted = apply_defaults(obj, schema)
    errors = schema_errors(defaulted, schema, strict)
    failures: list[RuleFailure] = []
    if not errors:
        old_defaulted = apply_defaults(old, schema) if old is not None else _MISSING
        failures = cel_failures(defaulted, schema, old_defaulted)
    return Outcome(defaulted, errors, failures)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch (null deletes, objects merge, everything else replaces)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
