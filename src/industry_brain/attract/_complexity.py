"""Relatedness and complexity of a unit × field count matrix, in the economic-complexity way.

For counts ``X[u, f]`` (firms of field ``f`` in unit ``u``):

- revealed comparative advantage ``RCA[u, f] = (X[u, f] / X[u, ·]) / (X[·, f] / X[·, ·])`` (the location quotient),
  presence ``M[u, f] = RCA >= 1``, diversity ``k_u = Σ_f M``, ubiquity ``k_f = Σ_u M``;
- proximity ``φ[f, g] = Σ_u M[u, f] M[u, g] / max(k_f, k_g)`` (co-location across the panel's units);
- relatedness density ``d[u, f] = Σ_g M[u, g] φ[f, g] / Σ_g φ[f, g]`` and distance ``1 − d``;
- ECI and PCI: the eigenvector of the second largest eigenvalue of ``M̃ = D_f⁻¹ Mᵀ D_u⁻¹ M`` (computed on the symmetric
  form ``D_f^-½ Mᵀ D_u⁻¹ M D_f^-½``, its two largest eigenpairs only), signed to correlate with diversity, ECI standardised and PCI
  standardised with ECI's mean and standard deviation (so that a unit's ECI is the mean PCI of its fields);
- complexity outlook ``COI[u] = Σ_f d (1 − M) PCI`` (standardised) and outlook gain
  ``COG[u, f] = (1 − M[u, f]) Σ_g (1 − M[u, g]) φ[g, f] PCI[g] / Σ_h φ[g, h]`` (divided by ECI's standard deviation).

The same definitions as Hidalgo et al. (2007), Hausmann et al. (2011) and the ``ecomplexity`` package (a test checks
every measure against it on the same matrix). ECI and PCI of a small matrix are noise: :func:`stability` refuses them
when the panel has fewer than :data:`MIN_UNITS` units or :data:`MIN_FIELDS` fields, or when the PCI ranking does not
survive resampling the units (median Spearman correlation below :data:`MIN_STABILITY`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

#: ECI/PCI are refused below these panel sizes and this bootstrap rank stability.
MIN_UNITS = 20
MIN_FIELDS = 8
MIN_STABILITY = 0.8
BOOTSTRAP = 20


def rca(counts: Array) -> Array:
    """Balassa's revealed comparative advantage (the location quotient); 0 where a unit or field is empty."""
    x = np.asarray(counts, dtype=np.float64)
    row = x.sum(axis=1, keepdims=True)
    col = x.sum(axis=0, keepdims=True)
    total = float(x.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (x / row) / (col / total)
    return np.asarray(np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0), dtype=np.float64)


def presence(r: Array, threshold: float = 1.0) -> Array:
    """``M = RCA >= threshold`` as 0/1 floats."""
    return (r >= threshold).astype(np.float64)


def proximity(m: Array) -> Array:
    """Field × field proximity: co-presence over the larger ubiquity (symmetric); 0 for fields present nowhere."""
    ubiquity = m.sum(axis=0)
    co = m.T @ m
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / ubiquity[np.newaxis, :]
    phi = np.minimum(phi, phi.T)
    return np.asarray(np.nan_to_num(phi, nan=0.0), dtype=np.float64)


def density(m: Array, phi: Array) -> Array:
    """Relatedness density of every (unit, field): the share of the field's proximity mass the unit has."""
    den = phi.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = phi.T / den[np.newaxis, :]
    return np.asarray(m @ np.nan_to_num(weights, nan=0.0), dtype=np.float64)


@dataclass(frozen=True)
class Complexity:
    """ECI of the units, PCI of the fields (standardised as above), and the raw ECI's standard deviation."""

    eci: Array
    pci: Array
    eci_std: float
    pci_raw: Array


def complexity(m: Array) -> Complexity:
    """ECI and PCI of a presence matrix whose every row and column has at least one presence."""
    diversity = m.sum(axis=1)
    ubiquity = m.sum(axis=0)
    if (diversity == 0).any() or (ubiquity == 0).any():
        raise ValueError("complexity needs a matrix without empty units or fields")
    half = 1.0 / np.sqrt(ubiquity)
    sym = (half[:, np.newaxis] * (m.T / diversity[np.newaxis, :]) @ m) * half[np.newaxis, :]
    n = sym.shape[0]
    if n < 2:
        raise ValueError("complexity needs at least two fields")
    from scipy.linalg import eigh

    # only the two largest eigenpairs are needed (LAPACK's selective driver: ~30× faster than all of them)
    _, vecs = eigh((sym + sym.T) / 2, subset_by_index=[n - 2, n - 1], driver="evx")
    kp = vecs[:, 0] * half                        # eigenvector of D_f⁻¹ Mᵀ D_u⁻¹ M for the second largest eigenvalue
    kc = (m @ kp) / diversity
    sign = np.sign(np.corrcoef(diversity, kc)[0, 1]) if diversity.std() > 0 and kc.std() > 0 else 1.0
    kc, kp = sign * kc, sign * kp
    mean, std = float(kc.mean()), float(kc.std())
    if std == 0:
        raise ValueError("complexity is undefined: every unit has the same ECI")
    return Complexity(eci=(kc - mean) / std, pci=(kp - mean) / std, eci_std=std, pci_raw=kp)


def outlook(m: Array, phi: Array, pci_raw: Array, eci_std: float, dens: Array | None = None,
            ) -> tuple[Array, Array]:
    """COI (standardised over the units given) and COG for presence ``m`` of any units, on the panel's ``phi`` and
    raw PCI."""
    d = density(m, phi) if dens is None else dens
    absent = 1.0 - m
    coi_raw = ((d * absent) * pci_raw[np.newaxis, :]).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = np.nan_to_num(phi * (pci_raw / phi.sum(axis=1))[:, np.newaxis], nan=0.0)
    cog = absent * (absent @ gain) / eci_std
    sd = coi_raw.std()
    coi = (coi_raw - coi_raw.mean()) / sd if sd > 0 else np.zeros_like(coi_raw)
    return coi, cog


@dataclass(frozen=True)
class Stability:
    """Whether ECI/PCI may be shown for a panel, with the figures that decided it."""

    ok: bool
    units: int
    fields: int
    spearman: float | None
    reason_zh: str
    reason_en: str

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "units": self.units, "fields": self.fields, "spearman": self.spearman,
                "reason_zh": self.reason_zh, "reason_en": self.reason_en,
                "rule": {"min_units": MIN_UNITS, "min_fields": MIN_FIELDS, "min_spearman": MIN_STABILITY,
                         "resamples": BOOTSTRAP}}


def _ranks(v: Array) -> Array:
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(len(v))
    return r


def stability(m: Array, seed: int = 20190501) -> Stability:
    """Refuse ECI/PCI for a panel that is too small, or whose PCI ranking changes when its units are resampled:
    ``BOOTSTRAP`` resamples of the units with replacement, PCI recomputed on each, median Spearman correlation
    with the full panel's PCI over the fields present in both."""
    units, fields = int((m.sum(axis=1) > 0).sum()), int((m.sum(axis=0) > 0).sum())
    if units < MIN_UNITS or fields < MIN_FIELDS:
        return Stability(False, units, fields, None,
                         f"面板仅 {units} 个单元、{fields} 个领域，少于 {MIN_UNITS} 个单元或 {MIN_FIELDS} 个领域，ECI/PCI 不稳定，不予计算",
                         f"the panel has {units} units and {fields} fields, fewer than {MIN_UNITS} units or "
                         f"{MIN_FIELDS} fields: ECI/PCI would be unstable and are not computed")
    m = m[m.sum(axis=1) > 0][:, m.sum(axis=0) > 0]
    try:
        full = complexity(m).pci
    except (ValueError, np.linalg.LinAlgError):
        return Stability(False, units, fields, None, "ECI/PCI 无法计算（特征值退化）",
                         "ECI/PCI cannot be computed (degenerate eigenvalues)")
    rng = np.random.default_rng(seed)
    rhos: list[float] = []
    for _ in range(BOOTSTRAP):
        sample = m[rng.integers(0, m.shape[0], m.shape[0])]
        keep = sample.sum(axis=0) > 0
        sample = sample[sample.sum(axis=1) > 0][:, keep]
        if keep.sum() < 3 or sample.shape[0] < 3:
            rhos.append(0.0)
            continue
        try:
            pci = complexity(sample).pci
        except (ValueError, np.linalg.LinAlgError):
            rhos.append(0.0)
            continue
        a, b = _ranks(full[keep]), _ranks(pci)
        rhos.append(float(np.corrcoef(a, b)[0, 1]))
    rho = float(np.median(rhos))
    if rho < MIN_STABILITY:
        return Stability(False, units, fields, round(rho, 3),
                         f"重抽样后 PCI 排名的中位秩相关仅 {rho:.2f}（低于 {MIN_STABILITY}），ECI/PCI 不稳定，不予计算",
                         f"the PCI ranking's median rank correlation over resampled units is {rho:.2f} (below "
                         f"{MIN_STABILITY}): ECI/PCI are unstable and not computed")
    return Stability(True, units, fields, round(rho, 3),
                     f"面板 {units} 个单元、{fields} 个领域；重抽样 PCI 排名中位秩相关 {rho:.2f}",
                     f"panel of {units} units and {fields} fields; PCI ranking's median rank correlation over "
                     f"resamples {rho:.2f}")
