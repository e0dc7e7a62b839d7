"""How the rules and a label's classifier probability make the final decision.

Policies (chosen per label by inner grouped cross-validation on training data only;
a label with fewer than 20 real positives, such as ``driver``, is restricted to ``or``,
because its rules and written examples are the only coverage of most languages):
- ``model``: probability >= threshold (the model already sees the rule hits as features);
- ``or``: the rules fire, or probability >= threshold (recall for rare labels);
- ``rules``: the rules alone.
``scores`` report the calibrated probability itself; ``labels`` is the decision
(per-label policy and threshold are in the model's card.json).
"""

from __future__ import annotations

import numpy as np

POLICIES = ("model", "or", "rules")
THRESHOLD_GRID = tuple(round(t, 2) for t in np.arange(0.1, 0.91, 0.05))


def decide(policy: str, prob: float, threshold: float, rule_hit: bool) -> bool:
    if policy == "rules":
        return rule_hit
    if policy == "or":
        return rule_hit or prob >= threshold
    return prob >= threshold


def decide_many(policy: str, probs: np.ndarray, threshold: float, rule_hits: np.ndarray) -> np.ndarray:
    if policy == "rules":
        return rule_hits.astype(bool)
    if policy == "or":
        return rule_hits.astype(bool) | (probs >= threshold)
    return probs >= threshold


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum(y & pred))
    denom = int(np.sum(y)) + int(np.sum(pred))
    return 2 * tp / denom if denom else 1.0


def choose_policy(
    y: np.ndarray, probs: np.ndarray, rule_hits: np.ndarray, allowed: tuple[str, ...] = POLICIES
) -> tuple[str, float, float]:
    """(policy, threshold, F1) maximising F1 on out-of-fold probabilities; ties prefer simpler."""
    y = y.astype(bool)
    best = ("rules", 0.5, f1(y, rule_hits.astype(bool))) if "rules" in allowed else ("", 0.5, -1.0)
    for policy in (p for p in ("model", "or") if p in allowed):
        for t in THRESHOLD_GRID:
            score = f1(y, decide_many(policy, probs, t, rule_hits))
            if score > best[2] + 1e-9:
                best = (policy, float(t), score)
    return best
