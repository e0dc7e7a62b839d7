"""Language files whose exact text passed the checks are not parsed and compiled again.

``lang.load_file`` keeps the parsed YAML of a file that passed under ``CHECKED_DIR`` (keyed by
its text and by the code, codebook, country list, PyYAML and Python that checked it); a later
process takes it and skips the regex check. These tests compare that path with the full one
and make sure an edited or broken file is always checked in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mctext import lang as langdata
from mctext.codebook import DRIVER_TYPES, LABELS
from mctext.lang import LanguageDataError, load_file

_MINIMAL = {
    "code": "qq",
    "name": "Test",
    "lingua": ["ENGLISH"],
    "cues": {label: {"c": r"\bword\b"} for label in LABELS},
    "driver_types": {t: {"c": r"\bword\b"} for t in DRIVER_TYPES},
    "driver_context": {"c": r"\bword\b"},
}


@pytest.fixture
def checked_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "checked"
    monkeypatch.setattr(langdata, "CHECKED_DIR", folder)
    return folder


def _write(folder: Path, data: dict) -> Path:
    path = folder / "qq.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _no_parse_no_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed or compiled although the text was checked before")

    monkeypatch.setattr(langdata.yaml, "load", refuse)
    monkeypatch.setattr(langdata, "compile_ignorecase", refuse)


def test_a_checked_text_is_read_from_its_marker(tmp_path: Path, checked_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, _MINIMAL)
    first = load_file(path)
    assert len(list(checked_dir.iterdir())) == 1
    with monkeypatch.context() as patch:
        _no_parse_no_compile(patch)
        again = load_file(path)
    assert again == first == load_file(path, remember=False)


def test_an_edited_file_is_checked_in_full(tmp_path: Path, checked_dir: Path) -> None:
    path = _write(tmp_path, _MINIMAL)
    load_file(path)
    broken = {**_MINIMAL, "cues": {**_MINIMAL["cues"], "nqf": {"c": r"\bunclosed(\w+"}}}
    _write(tmp_path, broken)
    with pytest.raises(LanguageDataError, match=r"qq\.yaml: cues\.nqf\.c: bad regex"):
        load_file(path)
    with pytest.raises(LanguageDataError, match="matches the empty string"):
        load_file(_write(tmp_path, {**_MINIMAL, "driver_context": {"c": r"\w*"}}))
    assert len(list(checked_dir.iterdir())) == 1  # only the text that passed


def test_a_damaged_marker_or_a_read_only_cache_costs_only_time(tmp_path: Path, checked_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, _MINIMAL)
    expected = load_file(path, remember=False)
    load_file(path)
    [marker] = checked_dir.iterdir()
    marker.write_bytes(b"not a pickle")
    assert load_file(path) == expected
    monkeypatch.setattr(langdata, "CHECKED_DIR", tmp_path / "a-file")
    (tmp_path / "a-file").write_text("x")  # the cache folder cannot be made
    assert load_file(path) == expected == load_file(path)


def test_the_checker_is_part_of_the_key(tmp_path: Path, checked_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, _MINIMAL)
    load_file(path)
    monkeypatch.setattr(langdata, "_checker_digest", lambda: b"another version of the checks")
    load_file(path)
    assert len(list(checked_dir.iterdir())) == 2


def test_every_shipped_file_reads_the_same_both_ways(checked_dir: Path) -> None:
    for path in sorted(langdata.LANGUAGES_DIR.glob("*.yaml")):
        full = load_file(path, remember=False)
        assert load_file(path) == full, path.name  # checked now, marker written
        assert load_file(path) == full, path.name  # from the marker
