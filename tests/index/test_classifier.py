"""Regularised logistic regression: the fit is the optimum of its objective, with fewer examples
than features (a codebook's few dozen) as with more, alone or many at once."""

from __future__ import annotations

import numpy as np
import pytest

from index.themes import classifier
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


@pytest.mark.parametrize(("rows", "features"), [(12, 40), (40, 12)])
@pytest.mark.parametrize("threads", [1, 2])
def test_regressions_fitted_together_equal_each_fitted_alone(rows, features, threads, monkeypatch):
    monkeypatch.setattr(classifier, "available_cores", lambda: threads)
    monkeypatch.setattr(classifier, "THREADED_ELEMENTS", 0)
    rng = np.random.default_rng(11)
    x = rng.normal(size=(rows, features))
    y = (rng.random((5, rows)) < 0.4).astype(float)
    y[:, :2] = (0.0, 1.0)
    weights = rng.uniform(0.5, 2.0, (5, rows))
    strengths = np.array([0.1, 1.0, 3.0, 10.0, 100.0])
    coefs, intercepts = classifier.logistic_fits(x, y, weights, strengths)
    for b in range(5):
        coef, intercept = logistic_fit(x, y[b], weights[b], strengths[b])
        np.testing.assert_allclose(coefs[b], coef, rtol=1e-9, atol=1e-9)
        assert intercepts[b] == pytest.approx(intercept, rel=1e-9, abs=1e-9)


def test_regressions_too_many_for_one_call_are_fitted_in_parts(monkeypatch):
    monkeypatch.setattr(classifier, "SYSTEM_BYTES", 8 * 13 * 13 * 2)
    rng = np.random.default_rng(5)
    x = rng.normal(size=(12, 40))
    y = (rng.random((5, 12)) < 0.5).astype(float)
    y[:, :2] = (0.0, 1.0)
    coefs, intercepts = classifier.logistic_fits(x, y, np.ones((5, 12)), np.full(5, 2.0))
    alone = [logistic_fit(x, y[b], None, 2.0) for b in range(5)]
    np.testing.assert_allclose(coefs, np.stack([c for c, _ in alone]), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(intercepts, [i for _, i in alone], rtol=1e-9, atol=1e-9)
