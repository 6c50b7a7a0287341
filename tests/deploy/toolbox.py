"""Runs inside the tools venv (tools.py): one JSON request on stdin, one JSON answer on stdout.

    {"charts": [{"id", "path", "values_files", "release", "namespace"}],
     "kube_version": "1.30.0",
     "promql": {"<key>": "<expression>"},
     "compose": "<path of docker-compose.yml>",
     "dockerfiles": ["<path>", ...]}

For each chart: ``helm lint --strict`` with those values (Helm's own linter), the offline render
(``helm template``), every rendered object parsed and validated against the Kubernetes schema of
``kube_version`` (strict: unknown fields are errors). PromQL expressions are parsed and their metric
names listed. The compose file is validated against the compose-spec schema; Dockerfiles with
hadolint. Kept apart from the test process: the Helm library is a Go runtime, better not loaded
into pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml


def _values(files: list[str]) -> dict:
    merged: dict = {}
    for name in files:
        _deep_merge(merged, yaml.safe_load(Path(name).read_text()) or {})
    return merged


def _deep_merge(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def chart(request: dict, kube_version: str) -> dict:
    from helm_python import chart as helm
    import kubernetes_validate

    values = _values(request.get("values_files", []))
    report = helm.lint(request["path"], values, strict=True, kube_version=f"v{kube_version}",
                       namespace=request["namespace"])
    answer: dict = {"lint": report, "manifests": [], "schema_errors": [], "render_error": None}
    try:
        rendered = helm.Chart.load(request["path"]).render(
            values, name=request["release"], namespace=request["namespace"], is_install=True)
    except Exception as error:  # noqa: BLE001 - reported to the test, which fails with it
        answer["render_error"] = str(error)
        return answer
    for template, text in sorted(rendered.items()):
        if template.endswith("NOTES.txt"):
            answer["notes"] = text
            continue
        for document in yaml.safe_load_all(text):
            if not document:
                continue
            answer["manifests"].append({"template": template, "object": document})
            try:
                kubernetes_validate.validate(document, kube_version, strict=True)
            except kubernetes_validate.ValidationError as error:
                answer["schema_errors"].append(
                    f"{document.get('kind')}/{document.get('metadata', {}).get('name')}: "
                    f"{'.'.join(str(p) for p in error.path)}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError:
                answer["schema_errors"].append(
                    f"{document.get('kind')} {document.get('apiVersion')}: no schema in Kubernetes "
                    f"{kube_version}")
    return answer


def promql(expressions: dict[str, str]) -> dict:
    import promql_parser

    answer = {}
    for key, expression in expressions.items():
        names: list[str] = []

        def visit(node, names=names):
            if isinstance(node, promql_parser.VectorSelector) and node.name:
                names.append(node.name)
            return True

        try:
            promql_parser.walk(promql_parser.parse(expression), visit)
            answer[key] = {"metrics": sorted(set(names)), "error": None}
        except Exception as error:  # noqa: BLE001 - a syntax error is the finding
            answer[key] = {"metrics": [], "error": str(error)}
    return answer


def compose(path: str) -> dict:
    import jsonschema
    from check_jsonschema.builtin_schemas import get_builtin_schema

    schema = get_builtin_schema("vendor.compose-spec")
    document = yaml.safe_load(Path(path).read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
              for e in validator.iter_errors(document)]
    return {"errors": errors, "schema_id": schema.get("$id")}


def hadolint(paths: list[str]) -> dict:
    binary = Path(sys.executable).parent / "hadolint"
    answer = {}
    for path in paths:
        result = subprocess.run([str(binary), "--no-color", path], capture_output=True, text=True)
        answer[path] = {"returncode": result.returncode,
                        "output": (result.stdout + result.stderr).strip()}
    return answer


def main() -> int:
    request = json.load(sys.stdin)
    kube_version = request.get("kube_version", "1.30.0")
    answer = {
        "charts": {c["id"]: chart(c, kube_version) for c in request.get("charts", [])},
        "promql": promql(request.get("promql", {})),
    }
    if request.get("compose"):
        answer["compose"] = compose(request["compose"])
    if request.get("dockerfiles"):
        answer["hadolint"] = hadolint(request["dockerfiles"])
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
