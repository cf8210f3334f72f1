"""The rule library: detection written once in checklists/rules/, referenced by the criteria of every checklist."""

from __future__ import annotations

import itertools
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from assessor.loading import LoadError, load_checklists, load_rule_library, read_yaml, yaml_files

from .conftest import ROOT

CHECKLIST_DIR = ROOT / "checklists"

CRITERION = """\
    id: mine
    title: Mine
    version: "1"
    kind: library
    criteria:
      - id: MINE-01
        title: No sale
        question: Does the vendor promise not to sell patron data?
        topic: sale-of-data
        severity: critical
        citations: [{{source: Our board}}]
        rules:
          {rules}
        remediation: {{question: Do you sell patron data?, clause: The Vendor shall not sell Patron Data.}}
        positive:
          - {{text: We never sell your personal information., status: met}}
    """


def _project(tmp_path: Path, rules: str) -> Path:
    folder = tmp_path / "checklists"
    shutil.copytree(CHECKLIST_DIR / "rules", folder / "rules")
    (folder / "mine.yaml").write_text(textwrap.dedent(CRITERION).format(rules=rules), encoding="utf-8")
    return folder


def test_shipped_criteria_reference_the_library_only():
    for path in yaml_files(CHECKLIST_DIR):
        data, _ = read_yaml(path)
        for criterion in data.get("criteria", []):
            inline = [r.get("id") for r in criterion.get("rules", []) if "use" not in r]
            assert not inline, f"{path.name} {criterion['id']}: inline rules {inline}; write them in checklists/rules/"


def test_no_detection_is_written_twice():
    seen: dict[str, str] = {}
    for name, rule in load_rule_library().items():
        body = {k: v for k, v in rule.items() if k not in ("id", "outcome", "description")}
        key = json.dumps(body, sort_keys=True)
        assert key not in seen, f"{name} repeats {seen[key]}"
        seen[key] = name


def test_every_library_rule_is_used():
    used = {r["use"] for p in yaml_files(CHECKLIST_DIR) for c in read_yaml(p)[0].get("criteria", [])
            for r in c.get("rules", [])}
    assert set(load_rule_library()) - used == set()


def test_a_reference_resolves_to_the_library_rule(tmp_path):
    folder = _project(tmp_path, "- {use: sale-of-data.no-sale, id: never-sold}")
    rule = load_checklists(folder)["mine"].checklist.criteria[0].rules[0]
    library = load_rule_library(folder)["sale-of-data.no-sale"]
    assert rule.id == "never-sold"
    assert rule.any == library["any"] and rule.outcome == library["outcome"]


def test_a_changed_library_rule_changes_the_checklist_hash(tmp_path):
    folder = _project(tmp_path, "- {use: sale-of-data.no-sale}")
    before = load_checklists(folder)["mine"].sha256
    path = folder / "rules" / "sale-of-data.yaml"
    path.write_text(path.read_text().replace("  any:\n", "  any:\n  - 'flog(?:s|ged)? patron data'\n", 1),
                    encoding="utf-8")
    assert load_checklists(folder)["mine"].sha256 != before


@pytest.mark.parametrize(("rules", "field", "message"), [
    ("- {use: sale-of-data.no-sael}", "criteria[0].rules[0].use", "did you mean 'sale-of-data.no-sale'"),
    ("- {use: sale-of-data.no-sale, any: ['sell']}", "criteria[0].rules[0]", "patterns belong in rules/"),
])
def test_a_bad_reference_names_file_line_and_field(tmp_path, rules, field, message):
    folder = _project(tmp_path, rules)
    with pytest.raises(LoadError) as err:
        load_checklists(folder)
    [problem] = err.value.problems
    assert problem.path.name == "mine.yaml" and problem.line == 13 and problem.field == field
    assert message in problem.message


def test_a_library_rule_must_carry_its_file_name(tmp_path):
    folder = _project(tmp_path, "- {use: sale-of-data.no-sale}")
    (folder / "rules" / "extra.yaml").write_text("rules:\n  - {id: other.x, outcome: met, any: [x]}\n")
    with pytest.raises(LoadError) as err:
        load_checklists(folder)
    assert "named 'extra.<name>'" in str(err.value)


MAX_SHARED_PATTERNS = 2  # two rules writing more identical patterns than this share them through a fragment


def _written_patterns() -> dict[str, set[str]]:
    """The pattern strings each library rule writes itself (fragment references not expanded)."""
    out: dict[str, set[str]] = {}
    for path in yaml_files(CHECKLIST_DIR / "rules"):
        for rule in read_yaml(path)[0]["rules"]:
            out[rule["id"]] = {p for f in ("any", "all", "none") for p in rule.get(f, []) if isinstance(p, str)}
    return out


def test_no_two_rules_copy_the_same_patterns():
    written = _written_patterns()
    copies = [(len(written[a] & written[b]), a, b) for a, b in itertools.combinations(sorted(written), 2)
              if len(written[a] & written[b]) > MAX_SHARED_PATTERNS]
    assert not copies, "near-copies (shared patterns, rule, rule); share them with a fragment: " + str(sorted(copies))


def test_every_fragment_is_shared():
    uses: dict[str, int] = {}
    defined = []
    for path in yaml_files(CHECKLIST_DIR / "rules"):
        data = read_yaml(path)[0]
        defined += [f["id"] for f in data.get("fragments", [])]
        for rule in data["rules"]:
            for ref in {p["fragment"] for f in ("any", "all", "none") for p in rule.get(f, []) if isinstance(p, dict)}:
                uses[ref] = uses.get(ref, 0) + 1
    assert {f for f in defined if uses.get(f, 0) < 2} == set(), "a fragment used by fewer than two rules"


def test_a_fragment_is_spliced_where_it_is_referenced(tmp_path):
    folder = _project(tmp_path, "- {use: extra.x}")
    (folder / "rules" / "extra.yaml").write_text(textwrap.dedent("""\
        fragments:
        - {id: extra.sell, patterns: [sell, rent]}
        rules:
        - {id: extra.x, outcome: met, any: [swap, {fragment: extra.sell}], none: [{fragment: extra.sell}]}
        """))
    rule = load_checklists(folder)["mine"].checklist.criteria[0].rules[0]
    assert rule.any == ["swap", "sell", "rent"] and rule.none == ["sell", "rent"]


def test_an_unknown_fragment_names_file_line_and_field(tmp_path):
    folder = _project(tmp_path, "- {use: extra.x}")
    (folder / "rules" / "extra.yaml").write_text(
        "fragments:\n- {id: extra.sell, patterns: [sell]}\nrules:\n- id: extra.x\n  outcome: met\n  any:\n"
        "  - swap\n  - {fragment: extra.sel}\n")
    with pytest.raises(LoadError) as err:
        load_checklists(folder)
    [problem] = err.value.problems
    assert problem.path.name == "extra.yaml" and problem.line == 8 and problem.field == "rules[0].any[1].fragment"
    assert "did you mean 'extra.sell'" in problem.message
