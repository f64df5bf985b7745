"""Single-phase pumped loop as the finite-element model sees it: an affine map from panel to fluid.

The coolant leaves the GPU cold plates at the supply temperature ``T_s``, splits into parallel
branches (one per radiator panel, flow in proportion to the number of tubes), and flows along
each panel through a row of bands (slabs of panel cells across the flow direction). In band j of
a branch with capacity rate ``C = m_dot c_p`` the fluid exchanges heat with the panel through
the film conductance ``G_j = h' A_j`` (``h'`` film conductance per unit panel area, ``A_j`` band
area). With the band-mean panel temperature ``Tb_j`` held over the band, the exact solution of
``C dT_f/ds = -h' w (T_f - Tb_j)`` across the band gives

    T_in,j+1 = Tb_j + (T_in,j - Tb_j) e_j,        e_j = exp(-G_j / C),
    Q_j      = C (T_in,j - T_in,j+1) = C (1 - e_j) (T_in,j - Tb_j).

The branches mix to the return temperature ``T_r = sum_b f_b T_out,b`` (``f_b`` flow fractions),
which enters the cold plates, where the heat ``Q`` closes the loop: ``T_s = T_r + Q / C``. The
fluid is quasi-steady (its transit time and heat capacity are neglected against the panel's),
so every inlet temperature is an affine function of the band temperatures and of Q,

    T_in = W Tb + w_Q Q,

and the heat given to the panels, ``sum_j C_b (1 - e_j)(T_in,j - Tb_j)``, equals Q for every
panel temperature field: the loop conserves energy by construction, not by iteration.

In the finite-element equations the heat of band j enters as the flux ``h_j (T_in,j - T(x))``
with ``h_j = C_b (1 - e_j) / A_j`` on the band's cells; its integral over the band is
``C_b (1 - e_j)(T_in,j - Tb_j) = Q_j`` exactly. The local part ``h_j T(x)`` is a constant
diagonal, the coupling through ``T_in`` a constant low-rank term ``-U W V^T`` (U: band flux
vectors, V: band averaging vectors); both go into the Newton operator, so the coupled
panel-fluid problem is solved monolithically.

References
----------
- F. P. Incropera, D. P. DeWitt, *Fundamentals of Heat and Mass Transfer*, 6th ed., Wiley,
  2007, sec. 8.3.1 (tube with constant surface temperature: the exponential outlet temperature).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LoopPath:
    """The loop's fluid path over the radiator panels.

    Attributes
    ----------
    capacity_rate_W_K : m_dot c_p of the whole loop [W/K]
    band_area_m2 : (nb,) area of each band [m^2]
    branch_of_band : (nb,) branch index of each band; bands of one branch are listed in flow order
    branch_flow_fraction : (n_branches,) share of the flow through each branch (sums to 1)
    film_conductance_W_m2K : (nb,) fluid-to-panel conductance per unit panel area h' of each band
        [W/m^2/K]
    """
    capacity_rate_W_K: float
    band_area_m2: np.ndarray
    branch_of_band: np.ndarray
    branch_flow_fraction: np.ndarray
    film_conductance_W_m2K: np.ndarray

    def __post_init__(self):
        if self.capacity_rate_W_K <= 0.0:
            raise ValueError(f"loop capacity rate must be positive, got {self.capacity_rate_W_K} W/K")
        if np.any(np.asarray(self.film_conductance_W_m2K) <= 0.0):
            raise ValueError("loop film conductance must be positive in every band")
        if np.any(self.band_area_m2 <= 0.0):
            raise ValueError("every loop band needs a positive area (too many bands for the mesh?)")
        if not np.isclose(np.sum(self.branch_flow_fraction), 1.0):
            raise ValueError("branch flow fractions must sum to 1")

    @property
    def bands(self) -> int:
        return len(self.band_area_m2)

    def branch_capacity_rate_W_K(self) -> np.ndarray:
        """(nb,) capacity rate of the branch each band belongs to [W/K]."""
        return self.capacity_rate_W_K * self.branch_flow_fraction[self.branch_of_band]

    def band_ntu(self) -> np.ndarray:
        """(nb,) G_j / C_b: film conductance of each band over its branch's capacity rate."""
        return self.film_conductance_W_m2K * self.band_area_m2 / self.branch_capacity_rate_W_K()

    def band_decay(self) -> np.ndarray:
        """(nb,) e_j = exp(-G_j / C_b): fraction of the inlet excess left at the band outlet."""
        return np.exp(-self.band_ntu())

    def band_heat_transfer_coefficient_W_m2K(self) -> np.ndarray:
        """(nb,) h_j = C_b (1 - e_j) / A_j: the flux h_j (T_in,j - T) carries exactly Q_j."""
        return self.branch_capacity_rate_W_K() * -np.expm1(-self.band_ntu()) / self.band_area_m2

    def march(self, band_T_K: np.ndarray, heat_W: float) -> tuple[np.ndarray, float, float]:
        """Fluid temperatures for given band-mean panel temperatures, loop closed exactly.

        Returns (T_in per band [K], supply temperature T_s (cold-plate outlet) [K], return
        temperature T_r [K]); heat_W: heat picked up at the cold plates.
        """
        e = self.band_decay()
        n_branch = len(self.branch_flow_fraction)
        # along each branch, T_out = a_b T_s + c_b (affine in the supply temperature)
        a = np.ones(n_branch)
        c = np.zeros(n_branch)
        for j in range(self.bands):
            b = self.branch_of_band[j]
            a[b] *= e[j]
            c[b] = band_T_K[j] + (c[b] - band_T_K[j]) * e[j]
        f = self.branch_flow_fraction
        a_mix, c_mix = float(f @ a), float(f @ c)
        if a_mix >= 1.0:
            raise ValueError("the loop exchanges no heat with the panels (zero film conductance)")
        # T_s = T_r + Q / C with T_r = a T_s + c
        T_supply = (c_mix + heat_W / self.capacity_rate_W_K) / (1.0 - a_mix)
        T_in = np.empty(self.bands)
        T_fluid = np.full(n_branch, T_supply)
        for j in range(self.bands):
            b = self.branch_of_band[j]
            T_in[j] = T_fluid[b]
            T_fluid[b] = band_T_K[j] + (T_fluid[b] - band_T_K[j]) * e[j]
        T_return = float(f @ T_fluid)
        return T_in, T_supply, T_return

    def affine_map(self) -> tuple[np.ndarray, np.ndarray]:
        """(W, w_Q) with T_in = W Tb + w_Q Q; exact because the march is affine."""
        nb = self.bands
        w_Q = self.march(np.zeros(nb), 1.0)[0]
        W = np.column_stack([self.march(unit, 0.0)[0] for unit in np.eye(nb)])
        return W, w_Q


def band_index(coordinate_m: np.ndarray, lo_m: float, hi_m: float, bands: int) -> np.ndarray:
    """Band of each cell from its centroid coordinate along the flow axis (equal-length bands)."""
    span = max(hi_m - lo_m, 1e-300)
    return np.clip(((coordinate_m - lo_m) / span * bands).astype(np.int64), 0, bands - 1)
