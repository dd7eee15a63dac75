"""The hand labels: valid against their schema and consistent with their articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique import schema
from communique.evaluation.labels import Label, Seed, label_problems, load_seeds

ROOT = Path(__file__).resolve().parents[2]
SEEDS = load_seeds(ROOT / "seeds")


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_label_is_grounded_in_its_article(seed: Seed) -> None:
    """Evidence verbatim (locate_quote), each participant written (name or alias),
    every actor a labelled participant."""
    assert label_problems(seed.label, seed.article) == []


def test_every_label_file_validates_and_has_an_article() -> None:
    labels = sorted((ROOT / "seeds" / "labels").glob("*.json"))
    assert len(labels) == len(SEEDS) >= 12
    for path in labels:
        label = Label.model_validate_json(path.read_text(encoding="utf-8"))
        assert (ROOT / "seeds" / "articles" / label.article).is_file(), path.name


def test_label_schema_file_is_generated_from_the_model() -> None:
    committed = json.loads((ROOT / "schemas" / "label.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(schema.render(Label))


def test_the_suite_covers_no_proposal_and_other_languages() -> None:
    assert any(s.label.proposal is None for s in SEEDS)
    assert {"fr", "es"} <= {s.label.language for s in SEEDS}


def test_a_label_problem_is_reported(tmp_path: Path) -> None:
    seed = SEEDS[0]
    bad = seed.label.model_copy(deep=True)
    bad.positions[0].evidence.append("a sentence that is not in the article")
    bad.positions[0].actor = "Olaf Scholz"
    problems = label_problems(bad, seed.article)
    assert any("not verbatim" in p for p in problems)
    assert any("'Olaf Scholz' is not a participant" in p for p in problems)
