"""Hostile YAML: every file the project reads is plain YAML within budgets, or a one-line located error.

An alias bomb ("billion laughs") is refused with bounded memory, and a tag that is not plain YAML (`!!python/...`,
`!custom`, `!!binary`...) is refused on a scalar, a list and a mapping alike, whichever reader meets it.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor import classify, loading
from assessor.concerns import load_concerns
from assessor.inventory import load_lexicon
from assessor.loading import (
    MAX_ALIAS_VALUES, MAX_DEPTH, LoadError, load_checklists, load_rule_library, load_vendors, parse_yaml, read_yaml,
)
from assessor.reviews import load_reviews
from assessor.validation import validate_paths

SOURCE = Path("test.yaml")


def _bomb(levels: int = 9) -> str:
    """Each level holds nine aliases of the one before: 9**levels values from a few hundred bytes."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _problems(text: str) -> list[loading.Problem]:
    with pytest.raises(LoadError) as err:
        parse_yaml(text, SOURCE)
    return err.value.problems


def test_alias_bomb_is_refused_with_its_line_and_bounded_memory():
    text = _bomb()
    tracemalloc.start()
    try:
        problems = _problems(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(problems) == 1
    problem = problems[0]
    assert f"more than {MAX_ALIAS_VALUES:,} values" in problem.message and "alias bomb" in problem.message
    assert problem.line is not None and 2 <= problem.line <= 9  # where an alias is used, not line 1's anchor
    assert str(problem).startswith(f"test.yaml:{problem.line}: l")
    assert peak < 20_000_000  # bytes: the expansion stops at the budget


def test_small_aliases_are_still_plain_yaml():
    data, lines = parse_yaml("base: &b [a, b]\nfirst: *b\nsecond: *b\n", SOURCE)
    assert data == {"base": ["a", "b"], "first": ["a", "b"], "second": ["a", "b"]}
    assert lines[("second",)] == 3


def test_recursive_alias_is_refused():
    (problem,) = _problems("a: &a [1, *a]\n")
    assert f"nested deeper than {MAX_DEPTH} levels" in problem.message and problem.line == 1


def test_too_many_values_are_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(loading, "MAX_VALUES", 50)
    (problem,) = _problems("items:\n" + "".join(f"  - {i}\n" for i in range(100)))
    assert problem.message == "more than 50 values in one file" and problem.field.startswith("items[")


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(loading, "MAX_YAML_BYTES", 1_000)
    path = tmp_path / "big.yaml"
    path.write_text("notes: " + "x" * 2_000 + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="larger than"):
        read_yaml(path)


TAGS = ["!!python/object/apply:os.system", "!!python/name:builtins.print", "!!python/tuple", "!custom",
        "!!binary", "!!set", "!!omap"]
SHAPES = {"scalar": "{tag} 'aGk='", "list": "{tag} [1, 2]", "mapping": "{tag} {{a: 1}}"}


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_a_tag_that_is_not_plain_yaml_is_refused_on_any_node(tag: str, shape: str):
    value = SHAPES[shape].format(tag=tag)
    (problem,) = _problems(f"id: fine\nnotes:\n  - ok\n  - {value}\n")
    assert problem.line == 4 and problem.field == "notes[1]"
    assert problem.message == f"the tag {tag} is not allowed: plain YAML only"


def test_tags_on_keys_and_merge_keys_are_refused():
    problems = _problems("!!python/name:os.system : 1\nbase: &b {x: 1}\nother:\n  <<: *b\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "the tag !!python/name:os.system is not allowed: plain YAML only"),
        (4, "merge keys (<<) are not allowed: plain YAML only"),
    ]


def test_bad_scalars_and_keys_are_located_problems_not_tracebacks():
    problems = _problems("when: 2026-13-45\ncount: !!int twelve\n? [a, b]\n: 1\nsign: =\n")
    assert [(p.line, p.field) for p in problems] == [(1, "when"), (2, "count"), (3, "")]
    assert "invalid timestamp '2026-13-45'" in problems[0].message
    assert "a key must be a plain value" in problems[2].message


def test_a_control_character_is_a_one_line_error_at_its_line():
    (problem,) = _problems("a: 1\nb: x\x1f\n")
    assert str(problem) == "test.yaml:2: invalid YAML: character #x001f: control characters are not allowed"


def test_a_tag_repeated_through_aliases_is_reported_once():
    problems = _problems("a: &a [!custom x]\nb: [*a, *a, *a]\n")
    assert [(p.line, p.field) for p in problems] == [(1, "a[0]")]


HOSTILE = "id: !!python/object/apply:os.system ['true']\n"

# each reader: the file it reads in a folder, and how it is called on that folder
READERS: dict[str, tuple[str, Callable[[Path], object]]] = {
    "checklist": ("x.yaml", load_checklists),
    "rule library": ("rules/x.yaml", load_rule_library),
    "vendor profile": ("x.yaml", load_vendors),
    "reviews": ("x.yaml", lambda d: load_reviews("x", d)),
    "topic cues": ("topics.yaml", lambda d: classify.load_topic_cues(d / "topics.yaml")),
    "inventory lexicon": ("inventory.yaml", lambda d: load_lexicon(d / "inventory.yaml")),
    "concerns": ("concerns.yaml", lambda d: load_concerns(d / "concerns.yaml")),
}


def _in(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_refuses_hostile_yaml_with_file_and_line(tmp_path: Path, reader: str):
    name, read = READERS[reader]
    path = _in(tmp_path / "tagged", name, HOSTILE)
    with pytest.raises(LoadError) as err:
        read(tmp_path / "tagged")
    assert str(err.value) == f"{path}:1: id: the tag !!python/object/apply:os.system is not allowed: plain YAML only"
    _in(tmp_path / "bomb", name, _bomb())
    with pytest.raises(LoadError, match="alias bomb"):
        read(tmp_path / "bomb")


def test_validate_refuses_hostile_yaml(tmp_path: Path):
    _in(tmp_path, "vendor.yaml", HOSTILE)
    _in(tmp_path, "topics.yaml", "topics:\n  user-choice: !thing {cues: []}\n")
    checked, problems = validate_paths([tmp_path])
    assert checked == 2
    assert [str(p) for p in problems] == [
        f"{tmp_path}/topics.yaml:2: topics.user-choice: the tag !thing is not allowed: plain YAML only",
        f"{tmp_path}/vendor.yaml:1: id: the tag !!python/object/apply:os.system is not allowed: plain YAML only",
    ]


def test_workbench_criterion_text_is_read_by_the_same_loader():
    from assessor.ui.workbench import parse_criterion

    with pytest.raises(LoadError, match=r"<workbench>:2: title: the tag !custom is not allowed"):
        parse_criterion("id: X-1\ntitle: !custom hello\n")


def test_no_module_reads_yaml_around_the_loader():
    package = Path(loading.__file__).parent
    offenders = [str(p.relative_to(package)) for p in sorted(package.rglob("*.py"))
                 if p.name != "loading.py" and ("yaml.safe_load" in (text := p.read_text()) or "yaml.load(" in text
                                                or "yaml.compose" in text)]
    assert offenders == []


YAML_PIECES = ["a: 1\n", "- x\n", "  ", "&a ", "*a", "!!python/tuple ", "!x ", "<<: ", "? ", ": ", "[", "]", "{", "}",
               ",", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n", "\t", "\x00", "\ufeff", "2026-13-45", "=", "|\n",
               ">\n", "\n", "key", "\U0001f4da"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=8)), max_size=40))
def test_any_text_is_data_or_a_located_load_error(pieces: list[str]):
    text = "".join(pieces)
    try:
        parse_yaml(text, SOURCE)
    except LoadError as exc:
        assert exc.problems and all(str(p).startswith("test.yaml") and "\n" not in str(p) for p in exc.problems)
