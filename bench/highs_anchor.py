#!/usr/bin/python3
"""HiGHS anchor for `make bench`: solves an MPS file written by
`rackforge plan ... --write-mps` with HiGHS through scipy.optimize.milp
(Debian's python3-scipy) and prints one line:

    highs <status> <objective> <solve seconds>

status is "optimal", "limit" (the time limit was hit) or another word from
scipy. The reader handles the free MPS that src/solver/lp_model.cc writes
(ROWS N/L/G/E, COLUMNS with INTORG/INTEND markers, RHS, RANGES, BOUNDS
FX/FR/MI/LO/UP/PL), not MPS in general: fixed-column MPS, negative RHS on the
objective row, SOS or quadratic sections are refused.

    highs_anchor.py FILE.mps [--time-limit S] [--gap G]
    highs_anchor.py --check      # the reader and solver on a hand MILP (optimum -3.4)
"""
import math
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix


def read_mps(path):
    """Returns (c, A (csr), row_lower, row_upper, col_lower, col_upper, integrality)."""
    section = None
    obj_row = None
    row_index, row_type, free_rows = {}, [], set()
    col_index, cost, integer = {}, [], []
    in_int = False
    entries_r, entries_c, entries_v = [], [], []
    rhs, ranges, bounds = {}, {}, []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("*"):
                continue
            if not line[0].isspace():
                word = line.split()[0]
                if word in ("NAME", "ROWS", "COLUMNS", "RHS", "RANGES", "BOUNDS", "ENDATA"):
                    section = word
                    continue
                raise ValueError(f"{path}:{number}: unsupported section {word!r}")
            t = line.split()
            if section == "ROWS":
                kind, name = t
                if kind == "N":
                    if obj_row is None:
                        obj_row = name
                    else:
                        free_rows.add(name)
                    continue
                if kind not in ("L", "G", "E"):
                    raise ValueError(f"{path}:{number}: bad row type {kind!r}")
                row_index[name] = len(row_type)
                row_type.append(kind)
            elif section == "COLUMNS":
                if len(t) == 3 and t[1] == "'MARKER'":
                    in_int = t[2] == "'INTORG'"
                    continue
                name = t[0]
                j = col_index.get(name)
                if j is None:
                    j = col_index[name] = len(cost)
                    cost.append(0.0)
                    integer.append(1 if in_int else 0)
                for k in range(1, len(t), 2):
                    r, v = t[k], float(t[k + 1])
                    if r == obj_row:
                        cost[j] = v
                    elif r in row_index:
                        entries_r.append(row_index[r])
                        entries_c.append(j)
                        entries_v.append(v)
                    elif r not in free_rows:
                        raise ValueError(f"{path}:{number}: unknown row {r!r}")
            elif section in ("RHS", "RANGES"):
                target = rhs if section == "RHS" else ranges
                for k in range(1, len(t), 2):
                    if t[k] == obj_row:
                        raise ValueError(f"{path}:{number}: objective constant not supported")
                    if t[k] in row_index:
                        target[row_index[t[k]]] = float(t[k + 1])
            elif section == "BOUNDS":
                kind, _, name = t[:3]
                if name not in col_index:
                    raise ValueError(f"{path}:{number}: unknown column {name!r}")
                bounds.append((kind, col_index[name], float(t[3]) if len(t) > 3 else None, number))
    m, n = len(row_type), len(cost)
    lo, up = np.full(m, -np.inf), np.full(m, np.inf)
    for i, kind in enumerate(row_type):
        b = rhs.get(i, 0.0)
        r = ranges.get(i)
        if kind == "L":
            up[i] = b
            if r is not None:
                lo[i] = b - abs(r)
        elif kind == "G":
            lo[i] = b
            if r is not None:
                up[i] = b + abs(r)
        else:  # E
            lo[i] = up[i] = b
            if r is not None:
                (up if r > 0 else lo)[i] = b + r
    cl, cu = np.zeros(n), np.full(n, np.inf)
    for kind, j, v, number in bounds:
        if kind == "FX":
            cl[j] = cu[j] = v
        elif kind == "FR":
            cl[j], cu[j] = -np.inf, np.inf
        elif kind == "MI":
            cl[j] = -np.inf
        elif kind == "PL":
            cu[j] = np.inf
        elif kind == "LO":
            cl[j] = v
        elif kind == "UP":
            cu[j] = v
        else:
            raise ValueError(f"{path}:{number}: unsupported bound type {kind!r}")
    a = csr_matrix((entries_v, (entries_r, entries_c)), shape=(m, n))
    return np.array(cost), a, lo, up, cl, cu, np.array(integer)


def solve(path, time_limit, gap):
    c, a, lo, up, cl, cu, integrality = read_mps(path)
    options = {"mip_rel_gap": gap, "disp": False}
    if time_limit > 0:
        options["time_limit"] = time_limit
    t0 = time.monotonic()
    res = milp(c, constraints=[LinearConstraint(a, lo, up)], integrality=integrality, bounds=Bounds(cl, cu),
               options=options)
    seconds = time.monotonic() - t0
    status = {0: "optimal", 1: "limit"}.get(res.status, f"status{res.status}")
    objective = res.fun if res.x is not None else math.nan
    return status, objective, seconds


# A hand MILP in the writer's format. min -x - 2y + z + v with x integer in
# [0, 10], y <= 2.2, z free, w <= 5 free below, v fixed at 2;
# x + y <= 4, x - y >= -2, 1 <= x + z <= 3 (ranged), y + w = 1.5, 2x <= 3,
# and a free row r5. The relaxation has x = 1.5, z = -0.5 (objective -4.4);
# the MILP x = 1, y = 2.2, z = 0, w = -0.7, v = 2: objective -3.4.
HAND_MILP = """NAME rackforge FREE
ROWS
 N obj
 L r0
 G r1
 L r2
 E r3
 L r4
 N r5
COLUMNS
 M0 'MARKER' 'INTORG'
 c0 obj -1
 c0 r0 1
 c0 r1 1
 c0 r2 1
 c0 r4 2
 c0 r5 7
 M1 'MARKER' 'INTEND'
 c1 obj -2
 c1 r0 1
 c1 r1 -1
 c1 r3 1
 c2 obj 1
 c2 r2 1
 c3 r3 1
 c4 obj 1
RHS
 rhs r0 4
 rhs r1 -2
 rhs r2 3
 rhs r3 1.5
 rhs r4 3
RANGES
 rng r2 2
BOUNDS
 LO BND c0 0
 UP BND c0 10
 UP BND c1 2.2
 FR BND c2
 MI BND c3
 UP BND c3 5
 FX BND c4 2
ENDATA
"""


def check():
    with tempfile.NamedTemporaryFile("w", suffix=".mps") as f:
        f.write(HAND_MILP)
        f.flush()
        c, a, lo, up, cl, cu, integrality = read_mps(f.name)
        assert a.shape == (5, 5), a.shape
        assert list(integrality) == [1, 0, 0, 0, 0]
        assert (lo[2], up[2]) == (1.0, 3.0) and lo[3] == up[3] == 1.5 and lo[1] == -2 and up[1] == np.inf
        assert cl[2] == -np.inf and cl[3] == -np.inf and cu[3] == 5 and cl[4] == cu[4] == 2
        status, objective, _ = solve(f.name, 10, 1e-9)
        assert status == "optimal" and abs(objective + 3.4) < 1e-9, (status, objective)
        relaxed = milp(c, constraints=[LinearConstraint(a, lo, up)], bounds=Bounds(cl, cu))
        assert abs(relaxed.fun + 4.4) < 1e-9, relaxed.fun
    print("highs_anchor check: hand MILP -3.4 (relaxation -4.4) read and solved")


def main(argv):
    if argv[1:] == ["--check"]:
        check()
        return 0
    path, time_limit, gap = argv[1], 0.0, 1e-9
    rest = argv[2:]
    while rest:
        if rest[0] == "--time-limit":
            time_limit = float(rest[1])
        elif rest[0] == "--gap":
            gap = float(rest[1])
        else:
            raise SystemExit(f"unknown option {rest[0]}")
        rest = rest[2:]
    status, objective, seconds = solve(path, time_limit, gap)
    print(f"highs {status} {objective:.17g} {seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
