"""Language files whose exact text passed the checks are not parsed and compiled again.

``lang.load_file`` keeps the parsed YAML of a file that passed, as JSON, under ``CHECKED_DIR``
(keyed by its text and by the code, codebook, country list, PyYAML, its loader and Python that
checked it; one marker per file); a later process takes it and skips the regex check. These
tests compare that path with the full one, make sure an edited or broken file is always
checked in full, and that a marker can cost time but never change a result or run code.
"""

from __future__ import annotations

import datetime
import json
import os
import pickle
from pathlib import Path

import pytest
import yaml

from conftest import TEST_USER_CACHE, minimal_language
from mctext import config
from mctext import lang as langdata
from mctext.lang import LanguageDataError, load_file

_MINIMAL = minimal_language()


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


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the full parses (``yaml.load`` calls) from now on."""
    calls = [0]
    real = langdata.yaml.load

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(langdata.yaml, "load", counted)
    return calls


def test_a_damaged_marker_or_a_read_only_cache_costs_only_time(tmp_path: Path, checked_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, _MINIMAL)
    expected = load_file(path, remember=False)
    load_file(path)
    [marker] = checked_dir.iterdir()
    parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
    parses = _count_parses(monkeypatch)
    marker.write_bytes(b"not json")
    assert load_file(path) == expected
    assert parses == [1]  # the damaged marker was not used: the file was parsed
    assert langdata._from_json(json.loads(marker.read_bytes())) == parsed  # and repaired
    assert load_file(path) == expected and parses == [1]  # the repaired marker serves again
    marker.write_text(json.dumps(langdata._to_json({"code": "qq"})))  # valid JSON that does not pass: the file decides
    assert load_file(path) == expected and parses == [2]
    monkeypatch.setattr(langdata, "CHECKED_DIR", tmp_path / "a-file")
    (tmp_path / "a-file").write_text("x")  # the cache folder cannot be made: nothing remembered
    assert load_file(path) == expected == load_file(path)
    assert parses == [4]
    assert (tmp_path / "a-file").read_text() == "x"


def test_the_checker_is_part_of_the_key(tmp_path: Path, checked_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, _MINIMAL)
    load_file(path)
    [first] = checked_dir.iterdir()
    monkeypatch.setattr(langdata, "_checker_digest", lambda: b"another version of the checks")
    load_file(path)
    [second] = checked_dir.iterdir()  # a new key; the marker of the old checker is gone
    assert second != first


def test_the_yaml_loader_is_part_of_the_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml (CSafeLoader) and the pure-Python SafeLoader are different parsers."""
    digests = set()
    for loader in (yaml.SafeLoader, type("CSafeLoader", (yaml.SafeLoader,), {})):
        monkeypatch.setattr(langdata, "_YAML_LOADER", loader)
        digests.add(langdata._checker_digest.__wrapped__())
    assert len(digests) == 2


class _Payload:
    """A pickle that runs code when loaded: makes ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple:
        return os.mkdir, (str(self.target),)


def test_a_marker_never_runs_code(tmp_path: Path, checked_dir: Path) -> None:
    path = _write(tmp_path, _MINIMAL)
    expected = load_file(path)
    [marker] = checked_dir.iterdir()
    target = tmp_path / "ran"
    marker.write_bytes(pickle.dumps(_Payload(target)))
    assert load_file(path) == expected
    assert not target.exists()
    # what is kept is JSON: the parsed YAML, plain data
    assert langdata._from_json(json.loads(marker.read_bytes())) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_markers_keep_what_safe_yaml_gives_or_nothing(tmp_path: Path, checked_dir: Path) -> None:
    """Safe YAML has int and bool keys (``levels.numbers``): JSON must give them back as they were;
    a date or a set it cannot keep, and a file with one is not remembered."""
    data = {"a": [1, 2.5, True, None, {"b": "c"}], 1: "one", False: [], "1": "text"}
    back = langdata._from_json(json.loads(json.dumps(langdata._to_json(data))))
    assert back == data and [type(k) for k in back] == [type(k) for k in data]
    for odd in ({"a": [datetime.date(2026, 12, 2)]}, {"a": {1, 2}}, {"a": b"x"}):
        with pytest.raises(langdata._NotPlain):
            langdata._to_json(odd)
    path = _write(tmp_path, _MINIMAL)
    original = yaml.load
    with pytest.MonkeyPatch.context() as patch:  # a parse that gives a date somewhere
        patch.setattr(langdata.yaml, "load", lambda *a, **k: {**original(*a, **k), "x-date": datetime.date(2026, 1, 1)})
        patch.setattr(langdata._Reader, "language", lambda self, data: "read")
        assert load_file(path) == "read"
    assert not checked_dir.exists() or not list(checked_dir.iterdir())


def test_an_edit_replaces_the_marker_and_leftovers_go(tmp_path: Path, checked_dir: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    kept = _write(other, {**_MINIMAL})
    load_file(kept)  # a file of the same name elsewhere keeps its own marker
    [kept_marker] = checked_dir.iterdir()
    path = _write(tmp_path, _MINIMAL)
    load_file(path)
    dead = 2**22 + 12345  # above any pid_max: no live process has it
    (checked_dir / f".{checked_dir.name}.x.{dead}.tmp").write_text("")  # another target: not ours
    [ours] = set(checked_dir.glob("qq-*.json")) - {kept_marker}
    killed = checked_dir / f".{ours.name}.abc.{dead}.tmp"
    killed.write_text("half")
    legacy = checked_dir / ("0" * 32)  # a pickled marker of an earlier version
    legacy.write_bytes(b"old")
    for n in range(3):
        _write(tmp_path, {**_MINIMAL, "name": f"Test {n}"})
        load_file(path)
    names = {p.name for p in checked_dir.iterdir()}
    assert kept_marker.name in names and not killed.exists() and not legacy.exists()
    assert len([n for n in names if n.endswith(".json")]) == 2  # one per file: the latest text's
    assert load_file(path).name == "Test 2"


def test_no_absolute_home_means_no_markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without HOME, Python 3.11's ``Path.home()`` may be a relative "~": markers would land in ./~."""
    monkeypatch.setattr(langdata, "CHECKED_DIR", None)
    monkeypatch.delenv("MCTEXT_USER_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: Path("~")))
    monkeypatch.chdir(tmp_path)
    assert config.user_cache_dir() is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG spec says
    assert config.user_cache_dir() is None
    path = _write(tmp_path, _MINIMAL)
    assert load_file(path) == load_file(path, remember=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qq.yaml"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert config.user_cache_dir() == tmp_path / "xdg" / "mctext"
    monkeypatch.setenv("MCTEXT_USER_CACHE", str(tmp_path / "mine"))  # read when asked, not at import
    assert langdata._checked_dir() == tmp_path / "mine" / "languages-checked"


def test_tests_never_write_the_home_cache() -> None:
    """conftest points the user cache at a folder of the test session (subprocesses included)."""
    folder = langdata._checked_dir()
    assert folder is not None and folder.is_relative_to(TEST_USER_CACHE)
    assert not folder.is_relative_to(Path.home() / ".cache")


def test_every_shipped_file_reads_the_same_both_ways(checked_dir: Path) -> None:
    for path in sorted(langdata.LANGUAGES_DIR.glob("*.yaml")):
        full = load_file(path, remember=False)
        assert load_file(path) == full, path.name  # checked now, marker written
        assert list(checked_dir.glob(f"{path.stem}-*.json")), path.name  # JSON keeps every shipped file
        assert load_file(path) == full, path.name  # from the marker
