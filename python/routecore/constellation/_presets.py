"""Preset constellations with their sources (see ``/work/shared/research/domain-facts.md`` §5-7).

Figures marked **[UNCERTAIN]** were not confirmed by a source; each one is listed in the preset's
``assumptions``. Change them with :func:`dataclasses.replace`.

Two choices move the answers most and are not settled by a source, so each has a preset per
reading (:data:`PRESETS` lists them all):

* Starlink shell 1 with laser links (:data:`STARLINK_SHELL1_LASER`, every satellite in a +grid)
  or bent pipe (:data:`STARLINK_SHELL1_BENT_PIPE`, no lasers: most v1.0 shell-1 satellites were
  launched without them). ``isl_capacity_gbps=None`` is the bent-pipe reading.
* OneWeb's minimum user elevation, 35 deg (:data:`ONEWEB_35`) or 55 deg (:data:`ONEWEB_55`).

The historical names keep their readings: :data:`STARLINK_SHELL1` is the laser reading and
:data:`ONEWEB` the 35 deg reading (both the optimistic ends; the demo shows the spread).
"""

from __future__ import annotations

import dataclasses

from ._model import Constellation, Shell

__all__ = [
    "ONEWEB",
    "ONEWEB_35",
    "ONEWEB_55",
    "PRESETS",
    "STARLINK_SHELL1",
    "STARLINK_SHELL1_BENT_PIPE",
    "STARLINK_SHELL1_LASER",
]

STARLINK_SHELL1 = Constellation(
    name="starlink-shell1",
    shells=(
        Shell(
            "starlink-shell1",
            altitude_km=550.0,
            inclination_deg=53.0,
            num_planes=72,
            sats_per_plane=22,
            phasing=1,
            pattern="delta",
        ),
    ),
    min_elevation_user_deg=25.0,
    min_elevation_feeder_deg=25.0,
    user_link_capacity_gbps=0.2,
    feeder_capacity_gbps=20.0,
    isl_capacity_gbps=100.0,
    satellite_capacity_gbps=20.0,
    beam_capacity_gbps=1.25,
    beam_cell_km=24.0,
    sources=(
        "Shell geometry 550 km, 53 deg, 72 x 22 = 1,584: Hypatia main_starlink_550.py "
        "(FCC SAT-MOD-20190830-00087), A&A 2022 Table 1. Minimum user elevation 25 deg: FCC "
        "SAT-MOD-20181108-00083 (via Hypatia). Phasing factor 1: StarPerf "
        "config/XML_constellation/Starlink.xml (phase_shift=1). User link 0.2 Gbit/s: school links "
        "'up to 200 Mbit/s' (satproviders.com 2023-12, citing minister Musin). Feeder ~20 Gbit/s "
        "per satellite: satmagazine 2021-11 (Pekhterev, estimate) and a forum figure. ISL ~100 "
        "Gbit/s per laser link: computerworld.pl 2024, blockseven.us. Satellite user capacity "
        "20 Gbit/s: SpaceX FCC technical attachment SAT-LOA-20161115-00118 ('17 to 23 Gbps' "
        "per v1.0 satellite) and Pekhterev's 20.22 Gbit/s estimate (satmagazine 2021-11); "
        "domain-facts section 8. Beam cells of 24 km: satmagazine 2021-11 (Pekhterev, "
        "estimate)."
    ),
    assumptions=(
        "[UNCERTAIN] Walker phasing factor F = 1 (StarPerf's phase_shift read as Walker F; SpaceX "
        "does not publish it).",
        "[UNCERTAIN] Gateway (feeder) minimum elevation 25 deg, the user figure; gateways may go "
        "down to 5 deg at high latitudes (bufferbloat starlink list 2024-06).",
        "[UNCERTAIN] Feeder capacity 20 Gbit/s per gateway-satellite link (estimate / forum).",
        "User link capacity 0.2 Gbit/s is the per-school figure, not a per-beam (~1 Gbit/s "
        "[UNCERTAIN]) or per-satellite (~20 Gbit/s, estimate) figure.",
        "[UNCERTAIN] Satellite user capacity 20 Gbit/s (Gen1 hardware; the FCC wording is quoted "
        "from memory in the fact sheet). V2 mini satellites carry about 4x (SpaceX, 2023): "
        "replace(STARLINK_SHELL1, satellite_capacity_gbps=80.0) is the sensitivity case.",
        "[UNCERTAIN] Beams: 16 per satellite of 20 / 16 = 1.25 Gbit/s each (beams 'on the "
        "order of 1 Gbit/s', a forum figure), one per 24 km cell (estimate); the schools of one "
        "cell share one beam of each satellite they use; cells are modelled as 24 km squares "
        "(real cells are hexagons). replace(STARLINK_SHELL1, beam_capacity_gbps=None, "
        "beam_cell_km=None) drops the beam limit.",
        "[UNCERTAIN] Laser reading (optimistic): every satellite has 4 +grid laser links at 100 "
        "Gbit/s, although most v1.0 shell-1 satellites (launched before 2021) had none; "
        "STARLINK_SHELL1_BENT_PIPE is the other reading.",
    ),
)
"""Starlink shell 1: Walker delta 53 deg: 1584/72/1 at 550 km, with +grid laser ISLs (the laser
reading; the same object as :data:`STARLINK_SHELL1_LASER`).

Sources and assumptions are in the object's ``sources`` and ``assumptions`` fields.
"""

STARLINK_SHELL1_LASER = STARLINK_SHELL1
"""Starlink shell 1, laser reading: 4 +grid laser links per satellite (optimistic: ISL ~100
Gbit/s per link is sourced, computerworld.pl 2024; that every shell-1 satellite carries them is
not)."""

STARLINK_SHELL1_BENT_PIPE = dataclasses.replace(
    STARLINK_SHELL1,
    name="starlink-shell1-bent-pipe",
    isl_capacity_gbps=None,
    assumptions=(
        *STARLINK_SHELL1.assumptions[:-1],
        "[UNCERTAIN] Bent-pipe reading: no laser links, as for most v1.0 shell-1 satellites "
        "(launched before 2021 without lasers); a terminal and a gateway must see the same "
        "satellite. STARLINK_SHELL1_LASER is the other reading.",
    ),
)
"""Starlink shell 1, bent-pipe reading: the same shell and radio figures, no inter-satellite
links (a school's traffic goes up and straight down to a gateway the same satellite sees)."""

ONEWEB = Constellation(
    name="oneweb",
    shells=(
        Shell(
            "oneweb",
            altitude_km=1200.0,
            inclination_deg=87.9,
            num_planes=12,
            sats_per_plane=49,
            phasing=0,
            pattern="star",
        ),
    ),
    min_elevation_user_deg=35.0,
    min_elevation_feeder_deg=35.0,
    user_link_capacity_gbps=0.05,
    feeder_capacity_gbps=7.2,
    isl_capacity_gbps=None,
    satellite_capacity_gbps=7.2,
    beam_capacity_gbps=0.45,
    beam_cell_km=322.0,
    sources=(
        "Geometry ~1,200 km (planes at 1,175-1,219 km), 87.9 deg, 12 planes x 49 = 588 (+60 "
        "spares): kusat.com/OneWeb/Resources; StarPerf config/XML_constellation/OneWeb.xml (1200 "
        "km, 87.9 deg, 12 x 49, phase_shift=0). 16 Ku user beams per satellite, ~450 Mbit/s "
        "forward / ~150 Mbit/s return each; ~1.1 Tbit/s in total: kusat.com. User terminal 5-50 "
        "Mbit/s: interfax 2020. The issue text's '18 planes x ~36/40' is an older plan that the "
        "fact sheet does not confirm; an earlier plan had 504 satellites in 12 planes (inform.kz "
        "2020). Per satellite '10 gigabits per second of capacity': SpaceNews 2019-03-18."
    ),
    assumptions=(
        "[UNCERTAIN] Minimum elevation 35 deg for users and gateways (optimistic): no source "
        "found; the fact sheet gives 25-50 deg as the sensitivity range (Hypatia uses 10 deg for "
        "Telesat, 30 deg for Kuiper). 35 deg keeps coverage continuous at the equator for 12 x 49 "
        "at 1,200 km. ONEWEB_55 is the 55 deg user reading.",
        "[UNCERTAIN] Walker star pattern (ascending nodes spread over 180 deg), as usual for "
        "near-polar shells; a 360 deg spread would put pairs of planes almost on top of each "
        "other. Phasing F = 0 as in StarPerf.",
        "All planes at 1,200 km (real planes: 1,175-1,219 km).",
        "[UNCERTAIN] User link 0.05 Gbit/s: the upper end of the early 5-50 Mbit/s terminal "
        "figure (interfax 2020).",
        "[UNCERTAIN] Feeder 7.2 Gbit/s per gateway-satellite link: derived, 16 beams x 450 "
        "Mbit/s forward (kusat.com), not a published feeder figure.",
        "No inter-satellite links (Gen1 is a bent-pipe system; not in the fact sheet).",
        "Satellite user capacity 7.2 Gbit/s: derived, the forward direction of 16 beams x 450 "
        "Mbit/s (kusat.com); SpaceNews 2019 gives 10 Gbit/s per satellite in all (forward + "
        "2.4 Gbit/s return).",
        "[UNCERTAIN] Beam cells: a OneWeb beam covers about 1,600 km x 65 km (derived from "
        "kusat.com); modelled as squares of the same area, 322 km a side, each served by one "
        "450 Mbit/s beam (forward, kusat.com) of each satellite; the beams' real shape and "
        "placement are not published.",
    ),
)
"""OneWeb Gen1: Walker star 87.9 deg: 588/12/0 at 1,200 km, bent pipe (no ISLs), users down to
35 deg elevation (the 35 deg reading; the same object as :data:`ONEWEB_35`).

The issue text says "18 planes x ~36/40"; the sourced figure in the fact sheet is 12 x 49 = 588,
which is used here. Sources and assumptions are in the ``sources`` and ``assumptions`` fields.
"""

ONEWEB_35 = ONEWEB
"""OneWeb, 35 deg reading: users (and gateways) down to 35 deg elevation (optimistic; no
source)."""

ONEWEB_55 = dataclasses.replace(
    ONEWEB,
    name="oneweb-55",
    min_elevation_user_deg=55.0,
    assumptions=(
        "[UNCERTAIN] Minimum user elevation 55 deg: the figure public OneWeb models use (as "
        "issue 11 reports; not in the fact sheet, which found no source and gives 25-50 deg as "
        "the range). Gateways keep 35 deg [UNCERTAIN]. ONEWEB_35 is the 35 deg reading.",
        *ONEWEB.assumptions[1:],
    ),
)
"""OneWeb, 55 deg reading: users only above 55 deg elevation, gateways above 35 deg; everything
else as :data:`ONEWEB`."""

PRESETS: dict[str, Constellation] = {
    c.name: c for c in (STARLINK_SHELL1_LASER, STARLINK_SHELL1_BENT_PIPE, ONEWEB_35, ONEWEB_55)
}
"""Every preset by its ``name``: ``starlink-shell1`` (laser), ``starlink-shell1-bent-pipe``,
``oneweb`` (35 deg) and ``oneweb-55``."""
