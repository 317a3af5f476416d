"""Regularised logistic regression: the fit is the optimum of its objective, with fewer examples
than features (a codebook's few dozen) as with more."""

from __future__ import annotations

import numpy as np
import pytest

from index.themes.classifier import logistic_fit


@pytest.mark.parametrize(("rows", "features"), [(12, 40), (40, 12)])
def test_the_fit_is_where_the_gradient_of_its_objective_vanishes(rows, features):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(rows, features))
    y = (rng.random(rows) < 0.4).astype(float)
    y[:2] = (0.0, 1.0)
    weights = rng.uniform(0.5, 2.0, rows)
    strength = 3.0
    coef, intercept = logistic_fit(x, y, weights, strength)
    p = 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
    residual = strength * weights * (p - y)
    assert np.abs(coef + x.T @ residual).max() < 1e-6
    assert abs(residual.sum()) < 1e-6
