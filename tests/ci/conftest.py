"""A spec repository with two commits (the seed specs, then the issue's three changes recorded
and generated), built once for the tests of the GitHub Action and the pre-commit hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.spec_repo import seed_repository, three_changes_committed


@pytest.fixture(scope="session")
def two_commits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return three_changes_committed(seed_repository(tmp_path_factory.mktemp("specs-repo")))
