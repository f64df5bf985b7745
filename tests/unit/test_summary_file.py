"""summary.json is JSON that every parser reads: no NaN or Infinity (Python's extensions to JSON,
which JavaScript's JSON.parse, jq and pandas' strict readers refuse)."""

import json
import math

import numpy as np
import pytest

from thermal.outputs.files import write_summary


def _refuse(constant):
    raise ValueError(f"{constant} is not JSON")


def test_non_finite_numbers_are_null_and_the_rest_unchanged(tmp_path):
    summary = {"run": {"solver": {"orbit_to_orbit_change_K": np.float64("nan"), "steps": np.int64(0)}},
               "thermal": {"parts": {"plate": {"T_mean_K": np.float64(331.0)}}, "limits": (np.float32(1.5), math.inf),
                           "gpu_junction_max_K": float("nan"), "margins": [np.nan, -np.inf, 0.25]},
               3: "a key that is not text"}
    path = tmp_path / "summary.json"
    write_summary(path, summary)
    read = json.loads(path.read_text(), parse_constant=_refuse)
    assert read == {"run": {"solver": {"orbit_to_orbit_change_K": None, "steps": 0}},
                    "thermal": {"parts": {"plate": {"T_mean_K": 331.0}}, "limits": [1.5, None],
                                "gpu_junction_max_K": None, "margins": [None, None, 0.25]},
                    "3": "a key that is not text"}


def test_a_value_json_cannot_hold_is_refused_not_written(tmp_path):
    with pytest.raises(TypeError):
        write_summary(tmp_path / "summary.json", {"when": object()})
