"""Loading YAML: a mistake names the file, the line and the field, and every problem is listed."""

from __future__ import annotations

import re
import textwrap

import pytest

from assessor.loading import LoadError, load_checklists, load_model, load_vendors, resolve_checklists
from assessor.models import Checklist, VendorProfile


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_problem_is_listed_with_line_and_field(tmp_path):
    path = write(tmp_path, "bad.yaml", """\
        id: Bad Vendor
        name: Example
        category: bookshop
        documents:
          - kind: privacy-policy
            url: ftp://example.org/policy
        """)
    with pytest.raises(LoadError) as err:
        load_model(VendorProfile, path)
    problems = {p.field: p for p in err.value.problems}
    assert set(problems) == {"id", "category", "documents[0].url"}
    assert problems["id"].line == 1
    assert problems["category"].line == 3
    assert problems["documents[0].url"].line == 6
    assert "only http(s)" in problems["documents[0].url"].message
    assert str(problems["category"]).startswith(f"{path}:3: category:")


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "broken.yaml", "id: x\nname: [unclosed\ncategory: ils\n")
    with pytest.raises(LoadError) as err:
        load_model(VendorProfile, path)
    assert err.value.problems[0].line is not None
    assert "invalid YAML" in err.value.problems[0].message


def test_duplicate_keys_are_reported(tmp_path):
    path = write(tmp_path, "dup.yaml", "id: a\nid: b\nname: x\ncategory: ils\ndocuments: []\n")
    with pytest.raises(LoadError) as err:
        load_model(VendorProfile, path)
    assert any(p.message == "duplicate key" and p.line == 2 for p in err.value.problems)


def test_missing_field_points_at_its_parent(tmp_path):
    path = write(tmp_path, "c.yaml", """\
        id: demo
        title: Demo
        version: "1"
        criteria:
          - id: X-1
            title: A criterion
            topic: sale-of-data
            severity: high
            citations: [{source: Somewhere}]
            rules:
              - id: r
                outcome: met
                any: ['(unclosed']
        """)
    with pytest.raises(LoadError) as err:
        load_model(Checklist, path)
    fields = {p.field for p in err.value.problems}
    assert "criteria[0].question" in fields and "criteria[0].remediation" in fields
    assert "criteria[0].rules[0].any" in fields
    line_of = {p.field: p.line for p in err.value.problems}
    assert line_of["criteria[0].rules[0].any"] == 13
    assert line_of["criteria[0].question"] == 5


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(LoadError, match="not UTF-8"):
        load_model(VendorProfile, path)


def test_an_empty_file_is_called_empty(tmp_path):
    for text in ("", "# only a comment\n", "---\n"):
        path = tmp_path / "acme.yaml"
        path.write_text(text)
        with pytest.raises(LoadError, match=re.escape(f"{path}:1: the file is empty (expected a VendorProfile)")):
            load_model(VendorProfile, path)


def test_shipped_checklists_and_vendors_load():
    checklists = load_checklists()
    vendors = load_vendors()
    assert checklists and vendors
    assert any(v.synthetic for v in vendors.values())


def test_includes_resolve_in_order_and_detect_cycles(tmp_path):
    base = """\
        id: {id}
        title: T
        version: "1"
        includes: {inc}
        """
    write(tmp_path, "a.yaml", base.format(id="a", inc="[b]"))
    write(tmp_path, "b.yaml", base.format(id="b", inc="[]"))
    loaded = load_checklists(tmp_path)
    assert [c.checklist.id for c in resolve_checklists(["a"], loaded)] == ["b", "a"]
    write(tmp_path, "b.yaml", base.format(id="b", inc="[a]"))
    with pytest.raises(LoadError, match="include cycle"):
        resolve_checklists(["a"], load_checklists(tmp_path))
    with pytest.raises(LoadError, match="no checklist 'zzz'"):
        resolve_checklists(["zzz"], loaded)


def test_checklists_read_back_from_the_cache_are_the_ones_loaded(tmp_path, monkeypatch) -> None:
    """The cache (named by the sha256 of the files and of the code that reads them) gives back the same checklists;
    a damaged cache is read past, and `ASSESSOR_CACHE=off` keeps none."""
    import assessor.loading as loading

    from .conftest import ROOT

    monkeypatch.setenv("ASSESSOR_CACHE", str(tmp_path / "cache"))
    loading._load_checklists.cache_clear()
    fresh = load_checklists(ROOT / "checklists")
    [cached_file] = (tmp_path / "cache").glob("checklists-*.json")
    loading._load_checklists.cache_clear()
    assert load_checklists(ROOT / "checklists") == fresh
    cached_file.write_text("[{", encoding="utf-8")
    loading._load_checklists.cache_clear()
    assert load_checklists(ROOT / "checklists") == fresh
    monkeypatch.setenv("ASSESSOR_CACHE", "off")
    loading._load_checklists.cache_clear()
    cached_file.unlink()
    assert load_checklists(ROOT / "checklists") == fresh and not list((tmp_path / "cache").iterdir())
    loading._load_checklists.cache_clear()


def test_data_files_read_back_from_the_cache_are_the_ones_loaded(tmp_path, monkeypatch) -> None:
    """The data files read on every run (topic cues, inventory lexicon, calibration) come back from the cache as
    they were validated, without the YAML reader; a changed file is read afresh, and a damaged cache is read past."""
    from assessor.classify import TopicCuesFile
    from assessor.inventory import LexiconFile
    from assessor.loading import load_data, package_data
    from assessor.score import Calibration

    monkeypatch.setenv("ASSESSOR_CACHE", str(tmp_path / "cache"))
    for model, name in ((TopicCuesFile, "topics.yaml"), (LexiconFile, "inventory.yaml"),
                        (Calibration, "calibration.yaml")):
        fresh = load_model(model, package_data(name))
        assert load_data(model, package_data(name)) == fresh  # read and kept
        assert load_data(model, package_data(name)) == fresh  # read back
    kept = sorted((tmp_path / "cache").glob("data-*.json"))
    assert len(kept) == 3
    for path in kept:
        path.write_text("{", encoding="utf-8")
    assert load_data(Calibration, package_data("calibration.yaml")) == load_model(Calibration,
                                                                                  package_data("calibration.yaml"))
    copy = tmp_path / "calibration.yaml"
    copy.write_text(re.sub(r"^met: .*$", "met: 0.0", package_data("calibration.yaml").read_text(encoding="utf-8"),
                           flags=re.MULTILINE), encoding="utf-8")
    assert load_data(Calibration, copy).met == 0.0
    copy.write_text("met: [unclosed\n", encoding="utf-8")
    with pytest.raises(LoadError, match="invalid YAML"):
        load_data(Calibration, copy)
    with pytest.raises(LoadError):
        load_data(Calibration, tmp_path / "missing.yaml")


def test_validate_reports_a_checklist_whose_id_is_not_its_file_name(tmp_path):
    """Checklists are found by file name (`includes`, `--checklist`, a profile's `checklists`), so `assessor
    validate` names a checklist whose id differs, at the id's line, as it does for a vendor profile."""
    from assessor.validation import validate_paths

    folder = tmp_path / "checklists"
    folder.mkdir()
    path = write(folder, "us-xx.yaml", 'title: T\nid: us-ct\nversion: "1"\n')
    write(folder, "lib-xx.yaml", 'id: lib-xx\ntitle: T\nversion: "1"\nincludes: [us-xx]\n')
    _, problems = validate_paths([folder])
    assert [str(p) for p in problems] == [f"{path}:2: id: id 'us-ct' differs from the file name 'us-xx'"]


def test_validate_reports_one_file_in_the_stages_the_readme_names(tmp_path):
    """As the README says: a checklist's YAML problems come alone, then its rule references, then its schema
    problems; other files' problems are listed in the same run."""
    from assessor.validation import validate_paths

    folder = tmp_path / "checklists"
    folder.mkdir()
    yaml_bad = write(folder, "a.yaml", 'id: a\ntitle: [T]\nversion: "1"\nupdated: 2026-02-30\n')
    ref_bad = write(folder, "b.yaml", 'id: b\nversion: "1"\ncriteria:\n  - id: B-1\n    rules:\n      - use: no.such\n')
    _, problems = validate_paths([folder])
    assert [(p.path, p.line) for p in problems] == [(yaml_bad, 4), (ref_bad, 6)]
    assert "invalid timestamp '2026-02-30'" in problems[0].message and "no rule 'no.such'" in problems[1].message
    write(folder, "a.yaml", 'id: a\ntitle: [T]\nversion: "1"\n')
    write(folder, "b.yaml", 'id: b\nversion: "1"\n')
    _, problems = validate_paths([folder])
    assert sorted((p.path.name, p.field) for p in problems) == [("a.yaml", "title"), ("b.yaml", "title")]
