"""Mockup sessions: one JSON file a user; a broken folder says which file and why."""

import json

import pytest

from core.domain.mockups import MockupError, load_mockup_sessions


def write(folder, name: str, content) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (folder / name).write_text(text, encoding="utf-8")


def test_sessions_are_read_by_username_in_order(tmp_path):
    write(tmp_path, "b.json", {"username": "zed"})
    write(tmp_path, "a.json", {"username": "amy", "roles": {}})
    assert list(load_mockup_sessions(tmp_path)) == ["amy", "zed"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not a readable JSON file"),
        ({"roles": {}}, "needs a username"),
        (["alice"], "needs a username"),
    ],
)
def test_a_broken_file_is_named_with_its_problem(tmp_path, content, problem):
    write(tmp_path, "broken.json", content)
    with pytest.raises(MockupError, match=f"broken.json: .*{problem}"):
        load_mockup_sessions(tmp_path)


def test_a_username_used_twice_is_refused(tmp_path):
    write(tmp_path, "a.json", {"username": "amy"})
    write(tmp_path, "b.json", {"username": "amy"})
    with pytest.raises(MockupError, match="used twice"):
        load_mockup_sessions(tmp_path)
