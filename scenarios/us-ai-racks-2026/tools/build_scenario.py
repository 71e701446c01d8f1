#!/usr/bin/env python3
"""Writes the us-ai-racks-2026 scenario files (into the folder above this one, or
the folder given as the first argument) after checking every design rule of
DESIGN.md for every design, and counts the passing design-space variants.
`--verify-only` prints the roll-ups and rule margins and writes nothing."""
import math, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
H = 56

# ---------------------------------------------------------------- components
# id, name, category, list_usd, power_w, liquid_frac, weight_kg, height_u, acc, ports_req, ports_prov, pcap_w, ccap_w
C = []
def comp(id, name, cat, cost, power=0, liq=0.0, wt=0, hu=0, acc=0, preq=0, pprov=0, pcap=0, ccap=0):
    heat_l = round(power * liq)
    heat_a = power - heat_l
    C.append(dict(id=id, name=name, category=cat, unit_cost_usd=cost, power_w=power, heat_liquid_w=heat_l,
                  heat_air_w=heat_a, weight_kg=wt, height_u=hu, accelerators=acc, ports_required=preq,
                  ports_provided=pprov, power_capacity_w=pcap, cooling_capacity_w=ccap))

# compute trays (1U; power per REFERENCE: GB200 <= 5.4 kW, GB300 ~6.6 kW)
comp("ct-gb200", "GB200 compute tray (2 Grace + 4 Blackwell)", "compute_tray", 150000, 5400, 0.90, 30, 1, 4, 6)
comp("ct-gb300", "GB300 compute tray (2 Grace + 4 Blackwell Ultra)", "compute_tray", 185000, 6600, 0.90, 32, 1, 4, 6)
comp("ct-vr200", "Vera Rubin compute tray (2 Vera + 4 Rubin, 8 dies)", "compute_tray", 260000, 10000, 0.95, 36, 1, 8, 8)
comp("cb-kyber", "Kyber compute blade (2 Rubin Ultra, 8 dies)", "compute_tray", 140000, 7200, 0.958, 22, 0, 8, 4)
comp("cn-kyber", "Kyber canister (18 blade slots)", "frame", 8000, 0, 0, 60, 10)
# switch trays
comp("sw-nvl5", "NVLink 5 switch tray (2 switch chips)", "switch_tray", 30000, 1700, 0.85, 18, 1, 0, 2)
comp("sw-nvl6", "NVLink 6 switch tray", "switch_tray", 40000, 2000, 0.90, 20, 1, 0, 2)
comp("sw-kyber", "Kyber NVLink switch blade", "switch_tray", 45000, 1500, 0.933, 12, 0, 0, 1)
# power shelves
comp("ps-33kw-tw", "Power shelf 33 kW 54 V (6 x 5.5 kW PSU), Taiwan-made", "power_shelf", 9500, wt=16, hu=1, preq=1, pcap=33000)
comp("ps-33kw-us", "Power shelf 33 kW 54 V (6 x 5.5 kW PSU), US/Mexico-made", "power_shelf", 10500, wt=16, hu=1, preq=1, pcap=33000)
comp("ps-110kw-tw", "Power shelf 110 kW 800 V DC, Taiwan-made", "power_shelf", 30000, wt=35, hu=2, preq=1, pcap=110000)
comp("ps-110kw-us", "Power shelf 110 kW 800 V DC, US-made", "power_shelf", 33000, wt=35, hu=2, preq=1, pcap=110000)
# busbars
comp("bb-54v-2500a", "ORv3 busbar 54 V 2,500 A", "busbar", 4000, wt=20)
comp("bb-54v-3000a", "ORv3 HPR busbar 54 V 3,000 A", "busbar", 5000, wt=24)
comp("bb-54v-4000a", "HPR busbar 54 V 4,000 A (dual)", "busbar", 6500, wt=32)
comp("bb-800v-400a", "800 V DC busbar 400 A", "busbar", 3500, wt=12)
comp("bb-800v-1000a", "800 V DC busbar 1,000 A", "busbar", 6000, wt=30)
# CDUs
comp("cdu-150kw-tw", "In-rack CDU 150 kW (4U), Taiwan-made", "cdu", 45000, 1500, 0.80, 80, 4, preq=1, ccap=150000)
comp("cdu-250kw-tw", "In-rack CDU 250 kW (6U), Taiwan-made", "cdu", 70000, 2500, 0.80, 115, 6, preq=1, ccap=250000)
comp("cdu-250kw-us", "In-rack CDU 250 kW (6U), US-made", "cdu", 78000, 2500, 0.80, 118, 6, preq=1, ccap=250000)
comp("cdu-inrow-kit", "Facility connection kit for an in-row CDU (hoses, valves)", "cdu", 6000, 0, 0, 12, 0, preq=1)
# manifolds
comp("mf-nvl72-tw", "NVL72 rack manifold pair, Taiwan-made", "manifold", 9000, wt=15)
comp("mf-nvl72-us", "NVL72 rack manifold pair, US-made", "manifold", 10000, wt=15)
comp("mf-vr-cm", "VR rack manifold pair (maker A, Taiwan)", "manifold", 11000, wt=18)
comp("mf-vr-auras", "VR rack manifold pair (maker B, Taiwan/Vietnam)", "manifold", 10500, wt=18)
comp("mf-vr-us", "VR rack manifold pair (US maker)", "manifold", 12500, wt=19)
comp("mf-kyber", "Kyber canister manifold", "manifold", 7500, wt=22)
# quick disconnects (per pair)
comp("qd-fositek", "Quick-disconnect pair UQD (Taiwan)", "quick_disconnect", 120, wt=0.25)
comp("qd-cpc", "Quick-disconnect pair UQD (US)", "quick_disconnect", 180, wt=0.25)
comp("qd-staubli", "Quick-disconnect pair UQD (Germany)", "quick_disconnect", 210, wt=0.25)
comp("qd-parker", "Quick-disconnect pair UQD (US, blind-mate)", "quick_disconnect", 170, wt=0.25)
# cable cartridges / midplane
comp("cc-nvl5-a", "NVLink 5 cable cartridge (maker A)", "cable_cartridge", 9000, wt=15)
comp("cc-nvl5-b", "NVLink 5 cable cartridge (maker B)", "cable_cartridge", 8500, wt=15)
comp("cc-nvl6-a", "NVLink 6 cable cartridge (maker A)", "cable_cartridge", 12000, wt=18)
comp("cc-nvl6-b", "NVLink 6 cable cartridge (maker B)", "cable_cartridge", 11000, wt=18)
comp("mp-kyber", "Kyber NVLink midplane PCB", "cable_cartridge", 25000, wt=20)
# optics
comp("osfp-800g", "800G twin-port OSFP transceiver (2 x 400G)", "optics", 600, 15, 0.0, 0.02, 0, 0, 0, 2)
comp("osfp-1600g", "1.6T twin-port OSFP transceiver (2 x 800G)", "optics", 1100, 25, 0.0, 0.02, 0, 0, 0, 2)
# frames
comp("fr-orv3-tw", "ORv3 frame 600 mm (Taiwan)", "frame", 4000, wt=130)
comp("fr-orv3-us", "ORv3 frame 600 mm (US)", "frame", 5200, wt=135)
comp("fr-orv3-de", "ORv3 frame 600 mm (Germany)", "frame", 5500, wt=128)
comp("fr-mgx-tw", "MGX high-payload frame 48U (Taiwan)", "frame", 6000, wt=140)
comp("fr-mgx-us", "MGX high-payload frame 48U (US)", "frame", 7000, wt=145)
comp("fr-kyber", "Kyber frame with power sidecar", "frame", 15000, wt=250)
# BBUs
comp("bbu-54v", "ORv3 battery backup shelf 54 V", "bbu", 6000, 50, 0.0, 20, 1, preq=1)
comp("bbu-800v", "800 V DC battery/supercap backup shelf", "bbu", 12000, 60, 0.0, 25, 1, preq=1)
# cold plates (per tray / blade set)
comp("cp-gb200", "Cold-plate loop set, GB200 tray", "cold_plate", 1800, wt=2.5)
comp("cp-gb300", "Cold-plate loop set, GB300 tray", "cold_plate", 2000, wt=2.6)
comp("cp-vr", "Cold-plate loop set, VR tray", "cold_plate", 2800, wt=3.0)
comp("cp-kyber", "Cold-plate loop set, Kyber blade", "cold_plate", 1600, wt=1.5)
# cables
comp("cbl-power-54v", "Power whip 54 V (facility to shelf)", "cable", 400, wt=6)
comp("cbl-power-800v", "Power cable 800 V DC", "cable", 900, wt=5)
comp("cbl-mgmt", "Management cable bundle", "cable", 300, wt=3)
comp("cbl-aec-800g", "Active electrical cable 800G (tray to leaf stub)", "cable", 450, 12, 0.0, 0.4)
# management and sensing
comp("mgmt-switch", "Management switch 48 x 1G", "management", 4000, 250, 0.0, 6, 1, 0, 0, 48)
comp("rmc", "Rack management controller", "management", 1500, 50, 0.0, 2, 0)
comp("leak-kit", "Leak detection kit (rope sensors + controller)", "management", 800, 10, 0.0, 1.5, 0)
# liquid loop accessories
comp("hose-nvl72", "CDU-to-manifold hose kit, NVL72", "cooling_accessory", 1200, wt=8)
comp("hose-vr", "CDU-to-manifold hose kit, VR", "cooling_accessory", 1500, wt=9)
comp("coolant-pg25", "PG25 coolant (litre)", "cooling_accessory", 8, wt=1.02)
comp("rail-kit", "Tray rail kit 1U", "mechanical", 60, wt=0.8)
comp("cable-mgr", "Cable manager / blanking set", "mechanical", 350, wt=4)
comp("sidecar-pdu", "Kyber power sidecar distribution unit", "power_shelf", 18000, wt=90, hu=0)
# bought sub-parts of the components the plants make (component_boms.csv; prices and weights: assumptions)
comp("psu-5k5", "PSU brick 5.5 kW 54 V (ORv3)", "power_supply", 1100, wt=1.2)
comp("psu-800v-18k", "PSU module 18.3 kW 800 V DC", "power_supply", 3600, wt=3)
comp("shelf-kit-1u", "1U power-shelf enclosure with controller and backplane", "power_supply", 1500, wt=8)
comp("shelf-kit-2u", "2U 800 V power-shelf enclosure with controller and backplane", "power_supply", 2600, wt=14)
comp("cu-bar-kg", "Copper busbar stock C110, tinned (kg)", "raw_material", 14, wt=1)
comp("bb-insul-kit", "Busbar insulation, stand-offs and hardware kit", "busbar_part", 1400, wt=3)
comp("bbu-cell-module", "Li-ion (LFP) cell module for a BBU shelf", "bbu_part", 900, wt=3.5)
comp("bbu-bms", "BBU battery-management and charger board", "bbu_part", 500, wt=0.5)
comp("cdu-pump", "CDU pump, variable speed", "cdu_part", 9500, wt=18)
comp("cdu-hx", "CDU brazed-plate heat exchanger 125 kW", "cdu_part", 12000, wt=25)
comp("cdu-frame-kit", "CDU frame, reservoir, controls and sensors", "cdu_part", 12000, wt=30)
comp("mf-kit-nvl72", "Stainless manifold tube and fitting kit, NVL72", "manifold_part", 5000, wt=13)
comp("mf-kit-vr", "Stainless manifold tube and fitting kit, VR", "manifold_part", 6500, wt=16)
comp("cc-harness", "Copper twinax harness for one cable cartridge (~1,300 cables of ~1 m)", "cable", 3640, wt=10)
comp("cc-conn-nvl5", "NVLink 5 cartridge connector and housing set", "cable_cartridge_part", 3600, wt=3)
comp("cc-conn-nvl6", "NVLink 6 cartridge connector and housing set", "cable_cartridge_part", 5200, wt=3.5)

CI = {c["id"]: c for c in C}

# In-house components (component_boms.csv): one unit of the component uses qty of each part. Power shelves:
# 6 PSUs per shelf (REFERENCE "GB200 NVL72": 8 x 33 kW shelves of 6 x 5.5 kW PSUs; 110 kW = 6 x 18.3 kW,
# assumption); busbars: copper by weight (20 of 24 kg, 10 of 12 kg); BBU shelves: 5 cell modules (54 V) or
# 10 (800 V); CDU: a redundant pump pair and two heat exchangers; cable cartridges: ~1,300 copper cables
# of ~1 m (NVL72: 5,184 copper cables over 4 cartridges, assumption) and a connector set. Everything else
# is an assumption.
CBOM = {
    "ps-33kw-us": [("psu-5k5", 6), ("shelf-kit-1u", 1)],
    "ps-110kw-us": [("psu-800v-18k", 6), ("shelf-kit-2u", 1)],
    "bb-54v-3000a": [("cu-bar-kg", 20), ("bb-insul-kit", 1)],
    "bb-800v-400a": [("cu-bar-kg", 10), ("bb-insul-kit", 1)],
    "bbu-54v": [("bbu-cell-module", 5), ("bbu-bms", 1)],
    "bbu-800v": [("bbu-cell-module", 10), ("bbu-bms", 2)],
    "cdu-250kw-us": [("cdu-pump", 2), ("cdu-hx", 2), ("cdu-frame-kit", 1)],
    "mf-nvl72-us": [("mf-kit-nvl72", 1)],
    "mf-vr-us": [("mf-kit-vr", 1)],
    "cc-nvl5-b": [("cc-harness", 1), ("cc-conn-nvl5", 1)],
    "cc-nvl6-a": [("cc-harness", 1), ("cc-conn-nvl6", 1)],
}

# ------------------------------------------------------------------ roadmap
REQ = [
    # id, generation, needed_by, min_acc, max_kw, max_floor
    ("req-gb200", "GB200 NVL72", 0, 72, 140, 2400),
    ("req-gb300", "GB300 NVL72", 0, 72, 150, 2400),
    ("req-vr", "Vera Rubin NVL144", 30, 144, 230, 2400),
    ("req-kyber", "Rubin Ultra NVL576 (Kyber)", 52, 576, 600, 3000),
]
RQ = {r[0]: r for r in REQ}

# ------------------------------------------------------------------ designs
D = []
# Phase-out of the oldest generation (assumption): GB200 firm demand ends in week 15 (firm_gb200 below),
# and its lines switch to GB300 after it; the last GB200 rack is built in week 15 (2026-W16).
GB200_LAST_BUILD_WEEK = 15
def design(id, name, meets, avail, build_h, test_h, bom, volt, rating_a, redundant, dt, max_air, ru, max_wt, fp, comment,
           last_build=None):
    D.append(dict(id=id, name=name, meets=meets, available_from_week=avail, last_build_week=last_build,
                  build_hours=build_h,
                  test_hours=test_h, bom=bom, busbar_voltage_v=volt, busbar_rating_a=rating_a,
                  redundant_power_shelves=redundant, coolant_delta_t_c=dt, max_air_heat_w=max_air,
                  rack_units=ru, max_weight_kg=max_wt, footprint_m2=fp, comment=comment))

common_mgmt = [("mgmt-switch", 1), ("rmc", 1), ("leak-kit", 1), ("cbl-mgmt", 1), ("cable-mgr", 1)]
design("gb200-nvl72", "GB200 NVL72 (ORv3, 54 V, in-rack CDU)", "req-gb200", 0, 30, 36,
       [("ct-gb200", 18), ("cp-gb200", 18), ("sw-nvl5", 9), ("ps-33kw-tw", 8), ("bb-54v-2500a", 1),
        ("cdu-150kw-tw", 1), ("mf-nvl72-tw", 1), ("qd-fositek", 58), ("hose-nvl72", 1), ("coolant-pg25", 60),
        ("cc-nvl5-a", 4), ("osfp-800g", 54), ("cbl-aec-800g", 18), ("fr-orv3-tw", 1), ("bbu-54v", 2),
        ("cbl-power-54v", 2), ("rail-kit", 27)] + common_mgmt,
       54, 2500, 4, 10, 20000, 47, 1500, 0.64, "18 compute trays, 9 NVLink switch trays, 8 x 33 kW shelves (N+N)",
       last_build=GB200_LAST_BUILD_WEEK)
design("gb300-nvl72", "GB300 NVL72 (ORv3 HPR, 54 V, in-rack CDU)", "req-gb300", 0, 32, 48,
       [("ct-gb300", 18), ("cp-gb300", 18), ("sw-nvl5", 9), ("ps-33kw-us", 8), ("bb-54v-3000a", 1),
        ("cdu-150kw-tw", 1), ("mf-nvl72-us", 1), ("qd-cpc", 58), ("hose-nvl72", 1), ("coolant-pg25", 60),
        ("cc-nvl5-b", 4), ("osfp-1600g", 54), ("cbl-aec-800g", 18), ("fr-orv3-tw", 1), ("bbu-54v", 2),
        ("cbl-power-54v", 2), ("rail-kit", 27)] + common_mgmt,
       54, 3000, 3, 10, 20000, 47, 1500, 0.64, "compute trays ~6.6 kW; 8 x 33 kW shelves with 3 redundant")
design("vr-nvl144", "Vera Rubin NVL144 (MGX 48U, 800 V DC, 110 kW shelves)", "req-vr", 26, 36, 60,
       [("ct-vr200", 18), ("cp-vr", 18), ("sw-nvl6", 9), ("ps-110kw-us", 4), ("bb-800v-400a", 1),
        ("cdu-250kw-us", 1), ("mf-vr-us", 1), ("qd-fositek", 58), ("hose-vr", 1), ("coolant-pg25", 80),
        ("cc-nvl6-a", 4), ("osfp-1600g", 72), ("cbl-aec-800g", 18), ("fr-mgx-tw", 1), ("bbu-800v", 2),
        ("cbl-power-800v", 2), ("rail-kit", 27)] + common_mgmt,
       800, 400, 1, 10, 20000, 48, 1700, 0.72, "4 x 110 kW 800 V DC shelves (N+1), 250 kW in-rack CDU")
design("kyber-nvl576", "Rubin Ultra NVL576 (Kyber, 800 V DC, in-row CDU)", "req-kyber", 46, 60, 96,
       [("cb-kyber", 72), ("cp-kyber", 72), ("cn-kyber", 4), ("sw-kyber", 24), ("ps-110kw-us", 8),
        ("sidecar-pdu", 1), ("bb-800v-1000a", 1), ("cdu-inrow-kit", 1), ("mf-kyber", 4), ("qd-cpc", 200),
        ("coolant-pg25", 180), ("mp-kyber", 4), ("osfp-1600g", 144), ("fr-kyber", 1), ("bbu-800v", 4),
        ("cbl-power-800v", 4), ("mgmt-switch", 2), ("rmc", 1), ("leak-kit", 1), ("cbl-mgmt", 2)],
       800, 1000, 2, 10, 30000, 64, 3600, 1.44, "4 canisters x 18 blades; facility (in-row) cooled")

def rollup(bom, d, req):
    s = {k: 0.0 for k in ["power_w", "heat_liquid_w", "heat_air_w", "weight_kg", "height_u", "accelerators",
                          "ports_required", "ports_provided", "power_capacity_w", "cooling_capacity_w"]}
    maxcap = 0
    for cid, q in bom:
        c = CI[cid]
        for k in s:
            s[k] += q * c[k]
        if q > 0:
            maxcap = max(maxcap, c["power_capacity_w"])
    rules = []
    it = s["power_w"]
    rules.append(("power", it, s["power_capacity_w"] - d["redundant_power_shelves"] * maxcap))
    rules.append(("busbar", it / d["busbar_voltage_v"], d["busbar_rating_a"]))
    if s["cooling_capacity_w"] > 0:
        rules.append(("liquid cooling", s["heat_liquid_w"], s["cooling_capacity_w"]))
    rules.append(("air cooling", s["heat_air_w"], d["max_air_heat_w"]))
    rules.append(("weight", s["weight_kg"], d["max_weight_kg"]))
    rules.append(("floor load", s["weight_kg"] / d["footprint_m2"], req[5]))
    rules.append(("rack units", s["height_u"], d["rack_units"]))
    rules.append(("ports", s["ports_required"], s["ports_provided"]))
    rules.append(("accelerators", req[3], s["accelerators"]))
    rules.append(("rack power", it / 1000, req[4]))
    ok = d["available_from_week"] <= req[2]
    out = []
    for name, need, have in rules:
        m = (have - need) / have if have > 0 else None
        ok = ok and need <= have + 1e-9 * max(1, abs(need), abs(have))
        out.append((name, need, have, m))
    return s, out, ok

def verify(verbose=True):
    good = True
    for d in D:
        req = RQ[d["meets"]]
        s, rules, ok = rollup(d["bom"], d, req)
        good &= ok
        if verbose:
            print(f"{d['id']}: pass={ok} IT={s['power_w']/1000:.1f} kW liquid={s['heat_liquid_w']/s['power_w']*100:.1f}% "
                  f"weight={s['weight_kg']:.0f} kg RU={s['height_u']}")
            for name, need, have, m in rules:
                print(f"   {name:14s} need={need:12.1f} have={have:12.1f} margin={'' if m is None else f'{m*100:.1f}%'}"
                      f"{'  FAIL' if need > have + 1e-6 else ''}")
    return good

if __name__ == "__main__" and "--verify-only" in sys.argv:
    verify(); sys.exit(0)

# ---------------------------------------------------------------- suppliers
# id, company, country, us_state, recovery_weeks, outage_prob_per_week
S = [
    ("fii-tw", "Foxconn Industrial Internet (Taiwan L10)", "TW", "", 6, 0.004),
    ("fii-mx", "Foxconn Industrial Internet (Guadalajara L10)", "MX", "", 4, 0.004),
    ("fii-us-tx", "Foxconn Industrial Internet (Houston L10)", "US", "TX", 4, 0.003),
    ("wistron-us-tx", "Wistron (Fort Worth)", "US", "TX", 4, 0.003),
    ("quanta-tw", "Quanta Computer", "TW", "", 6, 0.004),
    ("quanta-us-ca", "Quanta Cloud Technology (Fremont)", "US", "CA", 4, 0.003),
    ("delta-tw", "Delta Electronics", "TW", "", 6, 0.004),
    ("delta-th", "Delta Electronics Thailand", "TH", "", 5, 0.004),
    ("liteon-tw", "Lite-On Technology", "TW", "", 6, 0.004),
    ("flex-us-tx", "Flex (Texas)", "US", "TX", 3, 0.003),
    ("flex-mx", "Flex (Guadalajara)", "MX", "", 4, 0.004),
    ("eaton-us-nc", "Eaton", "US", "NC", 3, 0.002),
    ("vertiv-us-oh", "Vertiv", "US", "OH", 3, 0.002),
    ("nvent-us-mn", "nVent", "US", "MN", 3, 0.002),
    ("modine-us-wi", "Modine", "US", "WI", 3, 0.002),
    ("coolermaster-tw", "Cooler Master", "TW", "", 6, 0.004),
    ("coolermaster-cn", "Cooler Master (Huizhou)", "CN", "", 6, 0.005),
    ("auras-tw", "Auras Technology", "TW", "", 6, 0.004),
    ("auras-vn", "Auras Technology (Vietnam)", "VN", "", 5, 0.004),
    ("avc-tw", "Asia Vital Components", "TW", "", 6, 0.004),
    ("avc-vn", "Asia Vital Components (Vietnam)", "VN", "", 5, 0.004),
    ("fositek-tw", "Fositek", "TW", "", 6, 0.005),
    ("cpc-us-mn", "CPC Colder Products", "US", "MN", 3, 0.003),
    ("parker-us-oh", "Parker Hannifin", "US", "OH", 3, 0.002),
    ("staubli-de", "Staubli (Bayreuth)", "DE", "", 4, 0.002),
    ("amphenol-mx", "Amphenol (Mexico)", "MX", "", 4, 0.004),
    ("amphenol-us-ny", "Amphenol (Sidney NY)", "US", "NY", 3, 0.003),
    ("fit-cn", "Foxconn Interconnect Technology", "CN", "", 6, 0.005),
    ("luxshare-cn", "Luxshare Precision", "CN", "", 6, 0.005),
    ("luxshare-vn", "Luxshare Precision (Vietnam)", "VN", "", 5, 0.004),
    ("innolight-th", "Innolight (Thailand)", "TH", "", 5, 0.004),
    ("innolight-cn", "Innolight (Suzhou)", "CN", "", 6, 0.005),
    ("eoptolink-my", "Eoptolink (Malaysia)", "MY", "", 5, 0.004),
    ("coherent-us-tx", "Coherent (Sherman TX)", "US", "TX", 4, 0.003),
    ("fabrinet-th", "Fabrinet", "TH", "", 5, 0.004),
    ("rittal-de", "Rittal", "DE", "", 4, 0.002),
    ("chatsworth-us-tx", "Chatsworth Products", "US", "TX", 3, 0.002),
    ("chenbro-tw", "Chenbro", "TW", "", 6, 0.004),
    ("methode-us-il", "Methode Electronics", "US", "IL", 3, 0.002),
    ("rogers-de", "Rogers (Eschenbach)", "DE", "", 4, 0.002),
    ("lges-kr", "LG Energy Solution", "KR", "", 4, 0.003),
    ("panasonic-jp", "Panasonic Energy", "JP", "", 4, 0.003),
    ("edgecore-tw", "Accton / Edgecore", "TW", "", 6, 0.004),
    ("celestica-th", "Celestica (Thailand)", "TH", "", 5, 0.004),
    ("southwire-us-ga", "Southwire", "US", "GA", 2, 0.002),
    ("sumitomo-jp", "Sumitomo Electric", "JP", "", 4, 0.003),
    ("molex-us-il", "Molex", "US", "IL", 3, 0.002),
    ("ttm-us-ca", "TTM Technologies", "US", "CA", 4, 0.003),
    ("unimicron-tw", "Unimicron", "TW", "", 6, 0.004),
    ("dow-us-mi", "Dow (PG25 coolant)", "US", "MI", 2, 0.002),
    ("kaori-tw", "Kaori Heat Treatment", "TW", "", 6, 0.004),
    ("nidec-jp", "Nidec", "JP", "", 4, 0.003),
    ("clariant-de", "Clariant (heat-transfer fluids)", "DE", "", 4, 0.002),
    # suppliers of the plants' own component lines (sub-parts), each under contract to one plant
    ("wieland-us-il", "Wieland Rolled Products (East Alton)", "US", "IL", 2, 0.002),
    ("aurubis-de", "Aurubis (Stolberg)", "DE", "", 4, 0.002),
    ("starplus-us-in", "StarPlus Energy (Kokomo)", "US", "IN", 3, 0.003),
    ("xylem-us-ny", "Xylem (pumps)", "US", "NY", 3, 0.002),
    ("alfalaval-us-va", "Alfa Laval (Richmond)", "US", "VA", 3, 0.002),
    ("swagelok-us-oh", "Swagelok (Solon)", "US", "OH", 2, 0.002),
]
SI = {s[0]: s for s in S}
TARIFF = {"US": 0.0, "MX": 0.0, "TW": 0.20, "CN": 0.45, "VN": 0.20, "TH": 0.19, "MY": 0.19,
          "KR": 0.15, "JP": 0.15, "DE": 0.15}
EXEMPT_CATS = {"compute_tray", "switch_tray"}  # servers / switches (HTS 8471, 8517): electronics exemption

# offers: component -> list of (supplier, price factor vs list, share of peak weekly need, lead weeks, available_from)
O = {
    "ct-gb200": [("fii-tw", 1.00, 0.45, 2, 0), ("fii-mx", 0.98, 0.35, 1, 0), ("fii-us-tx", 1.04, 0.35, 1, 0),
                 ("wistron-us-tx", 1.05, 0.15, 1, 0)],
    "ct-gb300": [("fii-tw", 1.00, 0.40, 2, 0), ("fii-mx", 0.98, 0.30, 1, 0), ("fii-us-tx", 1.04, 0.35, 1, 0),
                 ("wistron-us-tx", 1.05, 0.25, 1, 0), ("quanta-tw", 0.99, 0.15, 2, 0)],
    "ct-vr200": [("fii-tw", 1.00, 0.40, 2, 20), ("fii-mx", 0.98, 0.25, 1, 22), ("fii-us-tx", 1.04, 0.30, 1, 24),
                 ("wistron-us-tx", 1.05, 0.15, 1, 26), ("quanta-us-ca", 1.05, 0.15, 1, 28)],
    "cb-kyber": [("fii-tw", 1.00, 0.8, 2, 42), ("fii-us-tx", 1.05, 0.6, 1, 44)],
    "cn-kyber": [("fii-tw", 1.00, 0.8, 3, 40), ("chenbro-tw", 0.95, 0.6, 4, 40)],
    "sw-nvl5": [("fii-tw", 1.00, 0.6, 2, 0), ("fii-mx", 0.98, 0.4, 1, 0), ("fii-us-tx", 1.04, 0.4, 1, 0)],
    "sw-nvl6": [("fii-tw", 1.00, 0.6, 2, 20), ("fii-us-tx", 1.04, 0.5, 1, 24), ("celestica-th", 0.99, 0.3, 3, 24)],
    "sw-kyber": [("fii-tw", 1.00, 1.0, 2, 42), ("fii-us-tx", 1.05, 0.5, 1, 44)],
    "ps-33kw-tw": [("delta-tw", 1.00, 0.6, 3, 0), ("liteon-tw", 0.97, 0.5, 3, 0), ("delta-th", 0.98, 0.3, 4, 0)],
    "ps-33kw-us": [("flex-us-tx", 1.00, 0.5, 1, 0), ("flex-mx", 0.96, 0.5, 2, 0)],
    "ps-110kw-tw": [("delta-tw", 1.00, 0.7, 3, 18), ("liteon-tw", 0.98, 0.45, 3, 22)],
    "ps-110kw-us": [("flex-us-tx", 1.00, 0.5, 1, 24), ("eaton-us-nc", 1.04, 0.4, 2, 26)],
    "sidecar-pdu": [("eaton-us-nc", 1.00, 1.5, 2, 40), ("delta-tw", 0.95, 1.0, 4, 40)],
    "bb-54v-2500a": [("rittal-de", 1.00, 0.6, 5, 0), ("methode-us-il", 1.05, 0.6, 2, 0)],
    "bb-54v-3000a": [("rittal-de", 1.00, 0.6, 5, 0), ("methode-us-il", 1.05, 0.5, 2, 0), ("rogers-de", 0.98, 0.3, 5, 0)],
    "bb-54v-4000a": [("methode-us-il", 1.00, 0.6, 2, 16), ("rogers-de", 0.97, 0.6, 5, 16)],
    "bb-800v-400a": [("methode-us-il", 1.00, 0.6, 2, 16), ("rogers-de", 0.96, 0.5, 5, 16), ("rittal-de", 1.02, 0.3, 5, 16)],
    "bb-800v-1000a": [("methode-us-il", 1.00, 1.5, 2, 40)],
    "cdu-150kw-tw": [("delta-tw", 1.00, 0.6, 4, 0), ("kaori-tw", 0.96, 0.4, 4, 0), ("coolermaster-cn", 0.90, 0.3, 5, 0)],
    "cdu-250kw-tw": [("delta-tw", 1.00, 0.6, 4, 18), ("kaori-tw", 0.97, 0.4, 4, 18), ("nidec-jp", 1.03, 0.3, 5, 20)],
    "cdu-250kw-us": [("vertiv-us-oh", 1.00, 0.5, 2, 18), ("nvent-us-mn", 1.02, 0.3, 2, 20), ("modine-us-wi", 0.99, 0.3, 3, 20)],
    "cdu-inrow-kit": [("vertiv-us-oh", 1.00, 1.0, 2, 0), ("parker-us-oh", 0.95, 0.6, 2, 0)],
    "mf-nvl72-tw": [("coolermaster-tw", 1.00, 0.6, 4, 0), ("avc-tw", 0.97, 0.4, 4, 0), ("auras-tw", 0.98, 0.3, 4, 0)],
    "mf-nvl72-us": [("nvent-us-mn", 1.00, 0.5, 2, 0), ("vertiv-us-oh", 1.03, 0.4, 2, 0)],
    "mf-vr-cm": [("coolermaster-tw", 1.00, 0.7, 4, 16), ("coolermaster-cn", 0.90, 0.5, 5, 16)],
    "mf-vr-auras": [("auras-tw", 1.00, 0.5, 4, 18), ("auras-vn", 0.96, 0.4, 5, 20)],
    "mf-vr-us": [("nvent-us-mn", 1.00, 0.5, 2, 20), ("vertiv-us-oh", 1.02, 0.4, 2, 20)],
    "mf-kyber": [("coolermaster-tw", 1.00, 1.0, 4, 40), ("nvent-us-mn", 1.10, 0.6, 2, 42)],
    "qd-fositek": [("fositek-tw", 1.00, 1.10, 3, 0)],
    "qd-cpc": [("cpc-us-mn", 1.00, 0.55, 2, 0), ("staubli-de", 1.12, 0.25, 4, 0), ("parker-us-oh", 0.97, 0.25, 2, 0)],
    "qd-staubli": [("staubli-de", 1.00, 0.6, 4, 0)],
    "qd-parker": [("parker-us-oh", 1.00, 0.6, 2, 0)],
    "cc-nvl5-a": [("amphenol-mx", 1.00, 0.7, 2, 0), ("amphenol-us-ny", 1.08, 0.4, 1, 0)],
    "cc-nvl5-b": [("fit-cn", 1.00, 0.5, 4, 0), ("luxshare-cn", 0.97, 0.3, 4, 0), ("luxshare-vn", 1.02, 0.3, 4, 0)],
    "cc-nvl6-a": [("amphenol-mx", 1.00, 0.55, 2, 20), ("amphenol-us-ny", 1.08, 0.3, 1, 22)],
    "cc-nvl6-b": [("fit-cn", 1.00, 0.5, 4, 20), ("luxshare-vn", 1.02, 0.4, 4, 22)],
    "mp-kyber": [("ttm-us-ca", 1.00, 1.0, 3, 38), ("unimicron-tw", 0.90, 1.0, 4, 38)],
    "osfp-800g": [("innolight-th", 1.00, 0.6, 3, 0), ("eoptolink-my", 0.97, 0.4, 3, 0), ("coherent-us-tx", 1.10, 0.3, 2, 0)],
    "osfp-1600g": [("innolight-th", 1.00, 0.5, 3, 0), ("innolight-cn", 0.92, 0.3, 3, 0), ("eoptolink-my", 0.98, 0.3, 3, 0),
                   ("coherent-us-tx", 1.12, 0.3, 2, 0), ("fabrinet-th", 1.03, 0.2, 3, 0)],
    "fr-orv3-tw": [("chenbro-tw", 1.00, 0.7, 6, 0), ("fii-tw", 1.02, 0.5, 6, 0)],
    "fr-orv3-us": [("chatsworth-us-tx", 1.00, 0.6, 1, 0)],
    "fr-orv3-de": [("rittal-de", 1.00, 0.6, 6, 0)],
    "fr-mgx-tw": [("chenbro-tw", 1.00, 0.7, 6, 12), ("fii-tw", 1.02, 0.5, 6, 12)],
    "fr-mgx-us": [("chatsworth-us-tx", 1.00, 0.6, 1, 16)],
    "fr-kyber": [("fii-tw", 1.00, 1.0, 6, 36), ("chatsworth-us-tx", 1.15, 0.6, 2, 40)],
    "bbu-54v": [("lges-kr", 1.00, 0.6, 6, 0), ("panasonic-jp", 1.05, 0.4, 6, 0), ("delta-tw", 1.02, 0.3, 4, 0)],
    "bbu-800v": [("eaton-us-nc", 1.00, 0.5, 2, 16), ("lges-kr", 0.94, 0.5, 6, 16), ("panasonic-jp", 0.98, 0.3, 6, 18)],
    "cp-gb200": [("coolermaster-tw", 1.00, 0.5, 3, 0), ("avc-tw", 0.97, 0.4, 3, 0), ("auras-tw", 0.98, 0.3, 3, 0)],
    "cp-gb300": [("coolermaster-tw", 1.00, 0.5, 3, 0), ("avc-vn", 0.95, 0.4, 4, 0), ("auras-tw", 0.98, 0.3, 3, 0)],
    "cp-vr": [("coolermaster-tw", 1.00, 0.5, 3, 16), ("avc-vn", 0.95, 0.4, 4, 18), ("auras-vn", 0.96, 0.3, 4, 18)],
    "cp-kyber": [("coolermaster-tw", 1.00, 1.0, 3, 38), ("avc-tw", 0.97, 0.6, 3, 38)],
    "cbl-power-54v": [("southwire-us-ga", 1.00, 1.0, 1, 0), ("sumitomo-jp", 0.90, 0.5, 5, 0)],
    "cbl-power-800v": [("southwire-us-ga", 1.00, 1.0, 1, 12), ("sumitomo-jp", 0.92, 0.5, 5, 12)],
    "cbl-mgmt": [("molex-us-il", 1.00, 1.0, 1, 0), ("luxshare-cn", 0.70, 0.6, 4, 0)],
    "cbl-aec-800g": [("molex-us-il", 1.00, 0.6, 2, 0), ("luxshare-vn", 0.85, 0.6, 4, 0)],
    "mgmt-switch": [("edgecore-tw", 1.00, 0.8, 3, 0), ("celestica-th", 0.98, 0.6, 3, 0)],
    "rmc": [("fii-tw", 1.00, 0.8, 2, 0), ("fii-us-tx", 1.06, 0.6, 1, 0)],
    "leak-kit": [("nvent-us-mn", 1.00, 1.0, 1, 0), ("fositek-tw", 0.80, 0.6, 3, 0)],
    "hose-nvl72": [("parker-us-oh", 1.00, 0.8, 1, 0), ("coolermaster-tw", 0.85, 0.6, 4, 0)],
    "hose-vr": [("parker-us-oh", 1.00, 0.8, 1, 12), ("coolermaster-tw", 0.85, 0.6, 4, 12)],
    "coolant-pg25": [("dow-us-mi", 1.00, 1.4, 1, 0), ("clariant-de", 0.95, 0.6, 5, 0)],
    "rail-kit": [("chenbro-tw", 1.00, 1.0, 4, 0), ("chatsworth-us-tx", 1.25, 0.6, 1, 0)],
    "cable-mgr": [("chatsworth-us-tx", 1.00, 1.0, 1, 0), ("chenbro-tw", 0.80, 0.6, 5, 0)],
    # sub-parts of the in-house components; shares are of the weekly need of the component lines at full
    # rate (sub_peak below)
    "psu-5k5": [("delta-tw", 1.00, 0.6, 3, 0), ("liteon-tw", 0.97, 0.5, 3, 0), ("flex-mx", 0.98, 0.5, 2, 0)],
    "psu-800v-18k": [("delta-tw", 1.00, 0.6, 3, 16), ("liteon-tw", 0.98, 0.5, 3, 18), ("flex-us-tx", 1.05, 0.4, 1, 20)],
    "shelf-kit-1u": [("chatsworth-us-tx", 1.00, 0.8, 1, 0), ("chenbro-tw", 0.85, 0.6, 5, 0)],
    "shelf-kit-2u": [("chatsworth-us-tx", 1.00, 0.8, 1, 12), ("chenbro-tw", 0.85, 0.6, 5, 12)],
    "cu-bar-kg": [("wieland-us-il", 1.00, 0.9, 1, 0), ("aurubis-de", 0.92, 0.5, 5, 0)],
    "bb-insul-kit": [("methode-us-il", 1.05, 0.7, 2, 0), ("rogers-de", 1.00, 0.6, 5, 0)],
    "bbu-cell-module": [("lges-kr", 1.00, 0.6, 6, 0), ("panasonic-jp", 1.05, 0.4, 6, 0), ("starplus-us-in", 1.08, 0.5, 1, 6)],
    "bbu-bms": [("delta-tw", 1.00, 0.7, 4, 0), ("eaton-us-nc", 1.10, 0.6, 2, 0)],
    "cdu-pump": [("nidec-jp", 1.00, 0.6, 5, 12), ("xylem-us-ny", 1.06, 0.6, 2, 12)],
    "cdu-hx": [("kaori-tw", 1.00, 0.6, 4, 12), ("alfalaval-us-va", 1.05, 0.6, 2, 12)],
    "cdu-frame-kit": [("vertiv-us-oh", 1.00, 0.7, 2, 12), ("delta-tw", 0.90, 0.5, 4, 12)],
    "mf-kit-nvl72": [("swagelok-us-oh", 1.00, 0.8, 2, 0), ("coolermaster-tw", 0.85, 0.5, 4, 0)],
    "mf-kit-vr": [("swagelok-us-oh", 1.00, 0.8, 2, 14), ("coolermaster-tw", 0.85, 0.5, 4, 14)],
    "cc-harness": [("molex-us-il", 1.00, 0.6, 2, 0), ("luxshare-vn", 0.85, 0.5, 4, 0), ("sumitomo-jp", 0.95, 0.4, 5, 0)],
    "cc-conn-nvl5": [("amphenol-us-ny", 1.00, 0.7, 1, 0), ("amphenol-mx", 0.96, 0.6, 2, 0)],
    "cc-conn-nvl6": [("amphenol-us-ny", 1.00, 0.7, 1, 16), ("molex-us-il", 1.02, 0.6, 2, 18)],
}
assert set(O) == set(CI), (set(CI) - set(O), set(O) - set(CI))

# Last-time buys (assumption): the three cold-plate makers retool their GB200 cold-plate lines for Vera
# Rubin (cp-vr from week 16) and take their last GB200 cold-plate orders in week 8 (2026-W09); cp-gb200 is
# used by gb200-nvl72 only, so the GB200 racks of weeks 9-15 need cold plates bought ahead.
LAST_ORDER = {("coolermaster-tw", "cp-gb200"): 8, ("avc-tw", "cp-gb200"): 8, ("auras-tw", "cp-gb200"): 8}

# ------------------------------------------------------------------- plants
PLANTS = [
    # id, us_state, name, cells, recovery, prob, lines[(id, designs, rpw, start, ramp, f, cost)]
    ("wi-mount-pleasant", "WI", "Mount Pleasant, Wisconsin", 12, 6, 0.004,
     [("wi-l1", ["gb200-nvl72", "gb300-nvl72"], 160, 0, 0, 1, 12000),
      ("wi-l2", ["gb300-nvl72", "vr-nvl144"], 120, 0, 8, 0.5, 14000)]),
    ("oh-lordstown", "OH", "Lordstown, Ohio", 12, 6, 0.004,
     [("oh-l1", ["gb200-nvl72", "gb300-nvl72"], 200, 0, 0, 1, 12500),
      ("oh-l2", ["gb300-nvl72", "vr-nvl144"], 100, 0, 10, 0.4, 14500)]),
    ("tx-houston", "TX", "Houston, Texas", 13, 8, 0.006,
     [("tx-l1", ["gb200-nvl72", "gb300-nvl72"], 220, 0, 0, 1, 12000),
      ("tx-l2", ["gb300-nvl72", "vr-nvl144", "kyber-nvl576"], 120, 0, 0, 1, 13500)]),
    ("va-virginia", "VA", "Virginia", 5, 5, 0.003,
     [("va-l1", ["gb300-nvl72", "vr-nvl144"], 120, 0, 0, 1, 15000)]),
    ("in-indiana", "IN", "Indiana", 4, 5, 0.003,
     [("in-l1", ["gb300-nvl72", "vr-nvl144"], 80, 0, 8, 0.5, 15500)]),
]
TEST_H_PER_CELL = 1140  # 8 rack bays x 168 h x ~85 % availability
EXPANSIONS = [
    # id, plant, kind, capex, earliest, lead, line fields or cells
    ("wi-l3", "wi-mount-pleasant", "line", 45e6, 2, 18, (["gb300-nvl72", "vr-nvl144"], 200, 8, 0.3, 15000)),
    ("va-l2", "va-virginia", "line", 40e6, 4, 16, (["gb300-nvl72", "vr-nvl144"], 200, 8, 0.3, 15500)),
    ("in-l2", "in-indiana", "line", 38e6, 6, 16, (["gb300-nvl72", "vr-nvl144"], 200, 8, 0.3, 16000)),
    ("oh-l3", "oh-lordstown", "line", 55e6, 8, 18, (["vr-nvl144"], 250, 8, 0.3, 14500)),
    ("tx-l3", "tx-houston", "line", 70e6, 14, 18, (["vr-nvl144", "kyber-nvl576"], 150, 10, 0.3, 18000)),
    ("wi-tc1", "wi-mount-pleasant", "test_cells", 30e6, 0, 12, 12),
    ("oh-tc1", "oh-lordstown", "test_cells", 35e6, 2, 12, 14),
    ("tx-tc1", "tx-houston", "test_cells", 25e6, 4, 12, 10),
    ("va-tc1", "va-virginia", "test_cells", 25e6, 4, 14, 10),
    ("in-tc1", "in-indiana", "test_cells", 25e6, 6, 14, 10),
]

# -------------------------------------------------------------------- sites
SITES = [
    ("abilene-tx", "Stargate Abilene", "TX", "OpenAI / Oracle", 0.24),
    ("shackelford-tx", "Stargate Shackelford County", "TX", "OpenAI / Oracle", 0.14),
    ("milam-tx", "Stargate Milam County", "TX", "OpenAI / SoftBank", 0.14),
    ("dona-ana-nm", "Stargate Doña Ana County", "NM", "OpenAI / Oracle", 0.12),
    ("lordstown-oh", "Stargate Lordstown", "OH", "OpenAI / SoftBank", 0.12),
    ("saline-mi", "Stargate Saline Township", "MI", "OpenAI / Oracle", 0.12),
    ("port-washington-wi", "Stargate Port Washington", "WI", "OpenAI / Oracle", 0.12),
]
MILES = {  # approximate road miles plant -> site (assumption)
    "wi-mount-pleasant": [1150, 1130, 1150, 1450, 470, 330, 60],
    "oh-lordstown": [1300, 1280, 1250, 1650, 5, 200, 500],
    "tx-houston": [350, 330, 130, 750, 1300, 1250, 1200],
    "va-virginia": [1350, 1330, 1300, 1800, 400, 650, 900],
    "in-indiana": [1000, 980, 1050, 1400, 320, 250, 300],
}
# Lanes over 1,200 miles (2 weeks) are left out except these, so that every site has a second source.
KEEP_LONG_LANES = {("in-indiana", "dona-ana-nm"), ("oh-lordstown", "milam-tx")}
def transit(mi): return 0 if mi <= 400 else (1 if mi <= 1200 else 2)
def lane_cost(mi): return round(800 + 3.5 * mi, -1)

# ------------------------------------------------------------------- demand
def firm_total(t):
    for upto, v in [(12, 950), (20, 1050), (28, 1250), (36, 1500), (44, 1750)]:
        if t < upto: return v
    return 2000
def firm_gb200(t): return 300 if t < 8 else (150 if t < 16 else 0)
def firm_vr(t):
    for lo, hi, v in [(28, 32, 150), (32, 36, 400), (36, 44, 800), (44, H, 1250)]:
        if lo <= t < hi: return v
    return 0
def firm_by_design(t):
    g2, vr = firm_gb200(t), firm_vr(t)
    return {"gb200-nvl72": g2, "gb300-nvl72": firm_total(t) - g2 - vr, "vr-nvl144": vr, "kyber-nvl576": 0}

DEMAND = []  # (site, design, week, racks, kind, prob)
for t in range(H):
    for g, total in firm_by_design(t).items():
        if total <= 0: continue
        for s in SITES:
            DEMAND.append((s[0], g, t, round(total * s[4]), "firm", None))
# evaluation units: small and early for every generation (assumption)
for t in range(0, 4): DEMAND.append(("abilene-tx", "gb300-nvl72", t, 8, "evaluation", None))
for t in range(26, 30):
    DEMAND.append(("abilene-tx", "vr-nvl144", t, 6, "evaluation", None))
    DEMAND.append(("saline-mi", "vr-nvl144", t, 4, "evaluation", None))
for t in range(47, H): DEMAND.append(("abilene-tx", "kyber-nvl576", t, 2, "evaluation", None))
# purchase options (no obligation): probability of exercise (assumption)
for t in range(16, 36):
    for s in SITES[:4]: DEMAND.append((s[0], "gb300-nvl72", t, 25, "option", 0.5))
for t in range(36, H):
    for s in SITES: DEMAND.append((s[0], "vr-nvl144", t, round(200 * s[4]), "option", 0.4))
for t in range(50, H): DEMAND.append(("abilene-tx", "kyber-nvl576", t, 6, "option", 0.3))
DEMAND.sort(key=lambda r: (r[2], ["evaluation", "firm", "option"].index(r[4]), r[1], r[0]))

def plan_racks(g, t):
    return sum(r[3] * (r[5] if r[5] is not None else 1) for r in DEMAND if r[1] == g and r[2] == t)
RACKS = {d["id"]: [plan_racks(d["id"], t) for t in range(H)] for d in D}
NEED = {c: [0.0] * H for c in CI}
for d in D:
    for cid, q in d["bom"]:
        for t in range(H): NEED[cid][t] += q * RACKS[d["id"]][t]
# reference weekly need for components used only by design-space options (assumption: half of VR / GB300 peak)
OPTION_ONLY_REF = {"ps-33kw-us": 8 * 700, "ps-110kw-us": 4 * 700, "bb-54v-4000a": 700, "cdu-250kw-us": 700,
                   "mf-nvl72-us": 400, "mf-vr-auras": 700, "mf-vr-us": 700, "qd-staubli": 58 * 700, "qd-parker": 58 * 700,
                   "cc-nvl6-b": 4 * 700, "fr-orv3-us": 400, "fr-orv3-de": 400, "fr-mgx-us": 700,
                   # the parts the co-designed BOMs replaced by US-made ones, now design-space options only
                   "ps-33kw-tw": 8 * 400, "ps-110kw-tw": 4 * 700, "cdu-250kw-tw": 700, "mf-vr-cm": 700,
                   "mf-nvl72-tw": 400}
def peak(cid):
    if cid in SUB_PARTS: return sub_peak(cid)
    return max(max(NEED[cid]), OPTION_ONLY_REF.get(cid, 0))

# ----------------------------------------------------- in-house component lines
# The plants make the racks' critical components (REFERENCE "The program": "racks and critical components
# ... power systems, networking, cooling, cabling"): power shelves in Ohio, busbars and battery-backup
# shelves in Indiana, CDUs and manifolds in Wisconsin, NVLink cable cartridges in Houston. Rates are shares
# of the component's peak weekly need, starts, ramps and the cost per unit (labour and overhead, the value
# added) are assumptions. (id, components, share of Σ peak need, start, ramp weeks, ramp start fraction,
# USD per unit)
COMPONENT_LINES = {
    "oh-lordstown": [("oh-ps33", ["ps-33kw-us"], 0.45, 0, 5, 0.5, 700),
                     ("oh-ps110", ["ps-110kw-us"], 0.40, 20, 7, 0.3, 1200)],
    "in-indiana": [("in-bb1", ["bb-54v-3000a", "bb-800v-400a"], 0.50, 0, 5, 0.5, 1600),
                   ("in-bbu1", ["bbu-54v", "bbu-800v"], 0.50, 4, 6, 0.4, 600)],
    "wi-mount-pleasant": [("wi-mf1", ["mf-nvl72-us", "mf-vr-us"], 0.50, 0, 5, 0.5, 3000),
                          ("wi-cdu1", ["cdu-250kw-us"], 0.45, 18, 7, 0.3, 12000)],
    "tx-houston": [("tx-cc1", ["cc-nvl5-b", "cc-nvl6-a"], 0.35, 0, 6, 0.4, 1700)],
}
# Ramps step by 10 % of the rate a week and rates are multiples of 10 units, so every week's capacity is
# a whole number of units (whole quantities).
# component_line expansions (capex, earliest week, lead: assumptions): a second 110 kW shelf line in Ohio
# and a second NVLink 6 cartridge line in Houston. (id, plant, capex, earliest, lead, components, share,
# ramp weeks, ramp start fraction, USD per unit)
COMPONENT_LINE_EXPANSIONS = [
    ("oh-ps110x", "oh-lordstown", 15e6, 6, 16, ["ps-110kw-us"], 0.30, 7, 0.3, 1200),
    ("tx-cc2", "tx-houston", 12e6, 10, 14, ["cc-nvl6-a"], 0.25, 7, 0.3, 1800),
]
def cline_units(comps, share): return int(round(share * sum(peak(c) for c in comps), -1))
SUB_PARTS = {part for parts in CBOM.values() for part, _ in parts}
def sub_peak(part):
    """Weekly need of a sub-part when every component line (expansions too) that uses it runs at full rate."""
    need = 0.0
    lines = [(comps, share) for ls in COMPONENT_LINES.values() for _, comps, share, *_ in ls] + \
            [(x[5], x[6]) for x in COMPONENT_LINE_EXPANSIONS]
    for comps, share in lines:
        # a line's capacity is shared by its components: take the most part-hungry one
        need += cline_units(comps, share) * max(dict(CBOM[c]).get(part, 0) for c in comps)
    return need

# cable cartridge NVL6 maker A: connector yield caps it below peak need (binding on purpose; REFERENCE "ramp problems")
O["cc-nvl6-a"] = [("amphenol-mx", 1.00, 0.60, 2, 20), ("amphenol-us-ny", 1.08, 0.35, 1, 22)]

# ------------------------------------------------------------- supply lanes
# Offers' lead times run to the supplier's US ship-from point (its US plant, or the port or border crossing
# its imports clear); the lane adds the inland leg to each plant (assumption). Asian imports clear at the
# port of entry nearest the plant (Chicago O'Hare air cargo for WI, OH and IN, Houston, Norfolk), European
# ones at the Port of Virginia (Norfolk), Mexican ones by truck at Laredo, TX. Road miles ship-from -> plant [WI, OH, TX, VA, IN] are approximate (assumption).
PLANT_IDS = ["wi-mount-pleasant", "oh-lordstown", "tx-houston", "va-virginia", "in-indiana"]
SHIP_FROM_MILES = {
    "asia":     [60, 380, 30, 60, 180],           # nearest port of entry: Chicago O'Hare air cargo (WI, OH, IN), Houston, Norfolk (Asia)
    "norfolk":  [900, 450, 1350, 60, 700],        # Port of Virginia (Germany)
    "laredo":   [1400, 1500, 320, 1550, 1250],    # Laredo crossing (Mexico)
    "CA": [2100, 2400, 1900, 2800, 2200], "GA": [800, 650, 800, 550, 550], "IL": [60, 380, 1080, 750, 180],
    "MI": [380, 200, 1350, 600, 280], "MN": [350, 800, 1200, 1150, 600], "NC": [900, 500, 1200, 150, 650],
    "NY": [800, 350, 1600, 450, 650], "OH": [450, 150, 1200, 400, 200], "TX": [1150, 1250, 100, 1300, 1000],
    "WI": [10, 500, 1200, 900, 250], "IN": [250, 300, 1000, 600, 30], "VA": [850, 350, 1300, 50, 600],
}
# Road miles between the plants [WI, OH, TX, VA, IN] (approximate, assumption): transfers of made parts.
PLANT_MILES = {
    "wi-mount-pleasant": [0, 500, 1150, 850, 250],
    "oh-lordstown": [500, 0, 1300, 350, 300],
    "tx-houston": [1150, 1300, 0, 1300, 1000],
    "va-virginia": [850, 350, 1300, 0, 600],
    "in-indiana": [250, 300, 1000, 600, 0],
}
ASIA = {"TW", "CN", "VN", "TH", "MY", "KR", "JP"}
def ship_from(sup):
    country, state = SI[sup][2], SI[sup][3]
    if country == "US": return state
    if country == "MX": return "laredo"
    if country == "DE": return "norfolk"
    assert country in ASIA, country
    return "asia"
# Sub-part suppliers under contract to one plant's component lines deliver to that plant only (assumption).
CONTRACT_PLANT = {"wieland-us-il": "in-indiana", "aurubis-de": "in-indiana", "starplus-us-in": "in-indiana",
                  "xylem-us-ny": "wi-mount-pleasant", "alfalaval-us-va": "wi-mount-pleasant",
                  "swagelok-us-oh": "wi-mount-pleasant"}
def lane_transit(mi): return 0 if mi <= 500 else (1 if mi <= 1600 else 2)  # ~500 truck miles a day, hand-offs (assumption)
# Freight per unit (assumption): handling 0.20 USD/kg plus 0.0004 USD per kg-mile (LTL truck), at least 1 USD.
def lane_unit_cost(cid, mi): return max(1.0, round(CI[cid]["weight_kg"] * (0.20 + 0.0004 * mi), 2))
def supply_lanes():
    """(supplier, plant, transit, cost): every supplier delivers to every plant. A lane has one cost per unit
    for every part (DESIGN.md): that of the lightest part the supplier sells, so that no part pays more than
    its own freight (the rest of a bulky part's freight is taken to be in its price; assumption)."""
    out = []
    for sup in [s[0] for s in S]:
        parts = [c["id"] for c in C if any(o[0] == sup for o in O[c["id"]])]
        if not parts: continue
        lightest = min(parts, key=lambda cid: CI[cid]["weight_kg"])
        for p, mi in zip(PLANT_IDS, SHIP_FROM_MILES[ship_from(sup)]):
            if sup in CONTRACT_PLANT and CONTRACT_PLANT[sup] != p: continue
            out.append((sup, p, lane_transit(mi), lane_unit_cost(lightest, mi)))
    return out
def plants_using(cid):
    """Plants with a rack line (existing or expansion) that can build a design whose BOM has cid."""
    users = {d["id"] for d in D if any(c == cid for c, _ in d["bom"])}
    out = []
    for pid, st, name, cells, rec, prob, lines_ in PLANTS:
        designs = {g for l in lines_ for g in l[1]} | {g for x in EXPANSIONS if x[1] == pid and x[2] == "line"
                                                      for g in x[6][0]}
        if designs & users: out.append(pid)
    return out
def transfers():
    """(from, to, component, transit, cost): every made component from each plant that makes it to every
    other plant that uses it; transit by road miles as the supply lanes, freight by the part's weight."""
    out = []
    makers = {}
    for pid, ls in COMPONENT_LINES.items():
        for l in ls:
            for c in l[1]: makers.setdefault(c, []).append(pid)
    for x in COMPONENT_LINE_EXPANSIONS:
        for c in x[5]: makers.setdefault(c, []).append(x[1])
    for c, ps in makers.items():
        for p in dict.fromkeys(ps):
            for q in plants_using(c):
                if q == p: continue
                mi = PLANT_MILES[p][PLANT_IDS.index(q)]
                out.append((p, q, c, lane_transit(mi), lane_unit_cost(c, mi)))
    return out
def max_transit(sup):
    return max(lane_transit(mi) for mi in SHIP_FROM_MILES[ship_from(sup)])

def on_hand(cid):
    """Covers week-0 need until offers with enough capacity deliver, plus one week."""
    # lead = order lead time + the supplier's longest inland leg (supply lanes above)
    offers0 = sorted((o for o in O[cid] if o[4] == 0), key=lambda o: o[3] + max_transit(o[0]))
    if not offers0 or NEED[cid][0] == 0: return 0
    supply, lead = 0, offers0[-1][3] + max_transit(offers0[-1][0])
    for o in offers0:
        supply += capacity(cid, o[2])
        if supply >= 1.05 * NEED[cid][0]:
            lead = o[3] + max_transit(o[0])
            break
    return round((lead + 1) * NEED[cid][0])

if __name__ == "__main__" and "--verify-only" not in sys.argv:
    print("firm week 0 / 52:", sum(r[3] for r in DEMAND if r[2] == 0 and r[4] == "firm"),
          sum(r[3] for r in DEMAND if r[2] == 52 and r[4] == "firm"))
    print("rows:", len(DEMAND))

def num(x):
    if isinstance(x, float) and x.is_integer(): x = int(x)
    if isinstance(x, float): return f"{x:.6g}"
    return str(x)

def write(path, text):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f: f.write(text)

def capacity(cid, share):
    return max(1, int(round(share * peak(cid))))

# End of the horizon (assumption): a rack still owed after the last week is delivered END_WEEKS weeks later on
# average (the time the program needs to catch up), so it costs END_WEEKS weekly penalties more.
END_WEEKS = 4

def write_all():
    # scenario.yaml
    write("scenario.yaml", f"""# US AI rack program 2026: OpenAI x Foxconn co-designed racks built in five US plants.
# Every number is explained in README.md (REFERENCE.md figure or stated assumption).
name: us-ai-racks-2026
start_week: "2026-W01"
horizon_weeks: {H}            # week 0 = 2026-W01; week 52 = 2027-W01 (Kyber arrives then)
policy:
  domestic_content_min: 0.4   # share of pre-tariff component spend from US suppliers (assumption)
  max_supplier_share: 0.75    # no supplier above 75 % of a multi-sourced part (assumption)
  capex_budget_usd: 450000000 # expansion budget, ~1/5 of Foxconn's 2-3 B USD/year AI investment (assumption)
  option_demand: expected     # purchase options enter as probability x racks
  backlog_penalty_usd_per_rack_week:   # value of a rack-week of delay (assumption); see README
    evaluation: 6000000
    firm: 4000000
    option: 1500000
  end_backlog_penalty_usd_per_rack:    # a rack still owed after week {H - 1}: {END_WEEKS} more weeks of delay (assumption); see README
    evaluation: {END_WEEKS * 6000000}
    firm: {END_WEEKS * 4000000}
    option: {END_WEEKS * 1500000}
  rack_holding_usd_per_week: 5000      # floor space + insurance of a finished rack (assumption)
  quantities: whole           # whole racks to the lines, whole purchase orders to suppliers
risk:
  start_week: 12              # outages are evaluated from the middle of the ramp (assumption)
target:                       # ~1,000 -> ~2,000 racks/week during 2026 (REFERENCE "The program")
  - {{week: 0, racks_per_week: 950}}
  - {{week: 20, racks_per_week: 1200}}
  - {{week: 36, racks_per_week: 1600}}
  - {{week: 52, racks_per_week: 2000}}
""")
    # roadmap.yaml
    lines = ["# The buyer's model roadmap: one requirement per rack generation (REFERENCE \"Rack generations\").",
             "requirements:"]
    notes = {"req-gb200": "in volume at start", "req-gb300": "in volume at start",
             "req-vr": "800 V DC from 2026 Q3 (week 26-38)", "req-kyber": "2027 (week 52 = 2027-W01)"}
    for r in REQ:
        lines.append(f"  - id: {r[0]}   # {notes[r[0]]}")
        lines.append(f"    generation: \"{r[1]}\"")
        lines.append(f"    needed_by_week: {r[2]}")
        lines.append(f"    min_accelerators: {r[3]}")
        lines.append(f"    max_power_kw: {r[4]}")
        lines.append(f"    max_floor_load_kg_m2: {r[5]}")
    write("roadmap.yaml", "\n".join(lines) + "\n")
    # designs
    for d in D:
        req = RQ[d["meets"]]
        s, rules, ok = rollup(d["bom"], d, req)
        assert ok, d["id"]
        out = [f"# {d['name']}: {d['comment']}.",
               f"# Roll-up: IT power {s['power_w']/1000:.1f} kW, liquid {s['heat_liquid_w']/1000:.1f} kW "
               f"({100*s['heat_liquid_w']/s['power_w']:.0f} %), air {s['heat_air_w']/1000:.1f} kW, "
               f"{s['weight_kg']:.0f} kg, {s['height_u']:g} U, {s['accelerators']:g} accelerators.",
               f"id: {d['id']}", f"name: \"{d['name']}\"", f"meets: {d['meets']}",
               f"available_from_week: {d['available_from_week']}"] + \
              ([f"last_build_week: {d['last_build_week']}   # phase-out: last production week (assumption, README)"]
               if d["last_build_week"] is not None else []) + [

               f"build_hours: {d['build_hours']}   # informational (assumption)",
               f"test_hours: {d['test_hours']}    # L11 rack burn-in (REFERENCE: 24-72 h; assumption per generation)",
               "bom:"]
        for cid, q in d["bom"]:
            out.append(f"  - {{component: {cid}, qty: {num(q)}}}   # {CI[cid]['name']}")
        out += ["electrical:",
                f"  busbar_voltage_v: {d['busbar_voltage_v']}",
                f"  busbar_rating_a: {d['busbar_rating_a']}",
                f"  redundant_power_shelves: {d['redundant_power_shelves']}",
                "cooling:",
                f"  coolant_delta_t_c: {d['coolant_delta_t_c']}   # REFERENCE: dT <= 10 C, PG25",
                f"  max_air_heat_w: {d['max_air_heat_w']}   # REFERENCE: air-only ceiling 25-30 kW",
                "frame:",
                f"  rack_units: {d['rack_units']}",
                f"  max_weight_kg: {d['max_weight_kg']}",
                f"  footprint_m2: {num(d['footprint_m2'])}"]
        write(f"designs/{d['id']}.yaml", "\n".join(out) + "\n")
    # components.csv
    hdr = "id,name,category,unit_cost_usd,holding_usd_per_week,power_w,heat_liquid_w,heat_air_w,weight_kg,height_u,accelerators,ports_required,ports_provided,power_capacity_w,cooling_capacity_w"
    rows = [hdr]
    for c in C:
        hold = round(c["unit_cost_usd"] * 0.0025, 2)
        rows.append(",".join([c["id"], c["name"].replace(",", ""), c["category"], num(c["unit_cost_usd"]),
                              num(hold)] +
                             [num(c[k]) for k in ["power_w", "heat_liquid_w", "heat_air_w", "weight_kg", "height_u",
                                                  "accelerators", "ports_required", "ports_provided",
                                                  "power_capacity_w", "cooling_capacity_w"]]))
    write("components.csv", "\n".join(rows) + "\n")
    # on_hand.csv: each part's week-0 stock split over the plants whose week-0 lines build a design that
    # uses it, in proportion to those lines' rates (assumption); the last plant takes the rounding rest.
    rows = ["plant,component,units"]
    for c in C:
        total = on_hand(c["id"])
        if total <= 0: continue
        users = {d["id"] for d in D if any(cid == c["id"] for cid, q in d["bom"])}
        weights = []
        for pid, st, name, cells, rec, prob, lines_ in PLANTS:
            w = sum(l[2] for l in lines_ if l[3] == 0 and users & set(l[1]))
            if w > 0: weights.append((pid, w))
        left = total
        for i, (pid, w) in enumerate(weights):
            units = left if i == len(weights) - 1 else round(total * w / sum(x[1] for x in weights))
            left -= units
            if units > 0: rows.append(f"{pid},{c['id']},{num(units)}")
    # the sub-parts of the component lines that run at week 0, for the components the racks of week 0 use:
    # two weeks of the line's week-0 rate (assumption)
    for pid, ls in COMPONENT_LINES.items():
        stock = {}
        for lid, comps, share, start, ramp, f, cost in ls:
            if start > 0: continue
            units = cline_units(comps, share) * (f if ramp > 0 else 1) * 2
            used = [c for c in comps if NEED[c][0] > 0]  # only what the racks of week 0 use
            for part in dict.fromkeys(p for c in used for p, _ in CBOM[c]):
                stock[part] = stock.get(part, 0) + units * max(dict(CBOM[c]).get(part, 0) for c in used)
        for part, units in stock.items(): rows.append(f"{pid},{part},{num(round(units))}")
    write("on_hand.csv", "\n".join(rows) + "\n")
    # supply_lanes.csv: every supplier delivers to every plant; transit and cost of the inland leg (assumption)
    rows = ["supplier,plant,transit_weeks,cost_usd_per_unit"]
    for sup, p, tr, cost in supply_lanes(): rows.append(f"{sup},{p},{tr},{num(cost)}")
    write("supply_lanes.csv", "\n".join(rows) + "\n")
    # suppliers.csv
    rows = ["id,company,country,us_state,recovery_weeks,outage_prob_per_week"]
    for s in S: rows.append(",".join([s[0], s[1], s[2], s[3], num(s[4]), num(s[5])]))
    write("suppliers.csv", "\n".join(rows) + "\n")
    # offers.csv
    rows = ["supplier,component,unit_cost_usd,capacity_per_week,lead_time_weeks,available_from_week,last_order_week,"
            "tariff_rate"]
    for c in C:
        for sup, factor, share, lead, avail in O[c["id"]]:
            country = SI[sup][2]
            tariff = 0.0 if c["category"] in EXEMPT_CATS else TARIFF[country]
            cost = c["unit_cost_usd"] * factor
            cost = round(cost) if cost >= 100 else round(cost, 2)
            last = LAST_ORDER.get((sup, c["id"]))
            rows.append(",".join([sup, c["id"], num(cost), num(capacity(c["id"], share)), num(lead), num(avail),
                                  "" if last is None else num(last), num(tariff)]))
    write("offers.csv", "\n".join(rows) + "\n")
    # plants.yaml
    out = ["# The five plants named in November 2025 (REFERENCE \"The program\"). Line rates, test cells,",
           "# ramps, costs and expansions are assumptions sized to ~1,000 racks/week at week 0 and ~2,000",
           f"# with every expansion open. A test cell = 8 rack bays x 168 h x ~85 % = {TEST_H_PER_CELL} h/week.",
           "plants:"]
    for pid, st, name, cells, rec, prob, lines_ in PLANTS:
        out += [f"  - id: {pid}   # {name}", f"    us_state: {st}", f"    test_cells: {cells}",
                f"    test_hours_per_cell_week: {TEST_H_PER_CELL}", f"    recovery_weeks: {rec}",
                f"    outage_prob_per_week: {num(prob)}", "    lines:"]
        for lid, gs, rpw, start, ramp, f, cost in lines_:
            out.append(f"      - {{id: {lid}, designs: [{', '.join(gs)}], racks_per_week: {rpw}, start_week: {start}, "
                       f"ramp_weeks: {ramp}, ramp_start_fraction: {num(f)}, cost_usd_per_rack: {cost}}}")
        if COMPONENT_LINES.get(pid):
            out.append("    component_lines:   # in-house components (README \"In-house components\")")
            for lid, comps, share, start, ramp, f, cost in COMPONENT_LINES[pid]:
                out.append(f"      - {{id: {lid}, components: [{', '.join(comps)}], units_per_week: "
                           f"{cline_units(comps, share)}, start_week: {start}, ramp_weeks: {ramp}, "
                           f"ramp_start_fraction: {num(f)}, cost_usd_per_unit: {cost}}}")
    out.append("expansions:   # capex and lead times: assumptions (a line ~40-70 M USD, a test cell ~2.5 M USD)")
    for eid, pid, kind, capex, earliest, lead, extra in EXPANSIONS:
        out += [f"  - id: {eid}", f"    plant: {pid}", f"    kind: {kind}", f"    capex_usd: {num(capex)}",
                f"    earliest_week: {earliest}", f"    lead_time_weeks: {lead}   # active from week {earliest + lead}"]
        if kind == "line":
            gs, rpw, ramp, f, cost = extra
            out += [f"    designs: [{', '.join(gs)}]", f"    racks_per_week: {rpw}", f"    ramp_weeks: {ramp}",
                    f"    ramp_start_fraction: {num(f)}", f"    cost_usd_per_rack: {cost}"]
        else:
            out.append(f"    cells: {extra}")
    for eid, pid, capex, earliest, lead, comps, share, ramp, f, cost in COMPONENT_LINE_EXPANSIONS:
        out += [f"  - id: {eid}   # component line (assumption)", f"    plant: {pid}", "    kind: component_line",
                f"    capex_usd: {num(capex)}", f"    earliest_week: {earliest}",
                f"    lead_time_weeks: {lead}   # active from week {earliest + lead}",
                f"    components: [{', '.join(comps)}]", f"    units_per_week: {cline_units(comps, share)}",
                f"    ramp_weeks: {ramp}", f"    ramp_start_fraction: {num(f)}", f"    cost_usd_per_unit: {cost}"]
    write("plants.yaml", "\n".join(out) + "\n")
    # component_boms.csv, transfers.csv
    rows = ["component,part,qty"] + [f"{c},{part},{num(q)}" for c, parts in CBOM.items() for part, q in parts]
    write("component_boms.csv", "\n".join(rows) + "\n")
    rows = ["from_plant,to_plant,component,transit_weeks,cost_usd_per_unit"]
    for p, q, c, tr, cost in transfers(): rows.append(f"{p},{q},{c},{tr},{num(cost)}")
    write("transfers.csv", "\n".join(rows) + "\n")
    # sites.csv, lanes.csv
    rows = ["id,name,us_state,customer"] + [f"{s[0]},{s[1]},{s[2]},{s[3]}" for s in SITES]
    write("sites.csv", "\n".join(rows) + "\n")
    rows = ["plant,site,transit_weeks,cost_usd_per_rack"]
    for p in PLANTS:
        for s, mi in zip(SITES, MILES[p[0]]):
            if transit(mi) == 2 and (p[0], s[0]) not in KEEP_LONG_LANES: continue
            rows.append(f"{p[0]},{s[0]},{transit(mi)},{num(lane_cost(mi))}")
    write("lanes.csv", "\n".join(rows) + "\n")
    rows = ["site,design,week,racks,kind,probability"]
    for s, g, t, racks, kind, prob in DEMAND:
        rows.append(f"{s},{g},{t},{num(racks)},{kind},{'' if prob is None else num(prob)}")
    write("demand.csv", "\n".join(rows) + "\n")

SPACES = [
    ("vr-nvl144", [
        ("power_shelf", ["ps-110kw-us", "bb-800v-400a"], [
            ([("ps-110kw-tw", 4), ("bb-800v-400a", 1)], {}, "4 x 110 kW 800 V DC, Taiwan-made"),
            ([("ps-110kw-us", 4), ("bb-800v-400a", 1)], {}, "4 x 110 kW 800 V DC, US-made: Ohio or bought (base)"),
            ([("ps-33kw-us", 8), ("bb-54v-4000a", 1)],
             {"electrical.busbar_voltage_v": 54, "electrical.busbar_rating_a": 4000, "electrical.redundant_power_shelves": 1},
             "8 x 33 kW at 54 V, US/Mexico-made, N+1 (passes)"),
            ([("ps-33kw-tw", 6), ("bb-54v-4000a", 1)],
             {"electrical.busbar_voltage_v": 54, "electrical.busbar_rating_a": 4000, "electrical.redundant_power_shelves": 1},
             "6 x 33 kW at 54 V, N+1: 165 kW usable < 203 kW IT (fails power)"),
        ]),
        ("cdu", ["cdu-250kw-us", "hose-vr"], [
            ([("cdu-250kw-tw", 1), ("hose-vr", 1)], {}, "in-rack 250 kW CDU, Taiwan-made"),
            ([("cdu-250kw-us", 1), ("hose-vr", 1)], {}, "in-rack 250 kW CDU, US-made: Wisconsin or bought (base)"),
            ([("cdu-150kw-tw", 1), ("hose-vr", 1)], {}, "in-rack 150 kW CDU: 189 kW liquid heat (fails liquid cooling)"),
            ([("cdu-inrow-kit", 1)], {}, "in-row CDU (facility-cooled): the in-rack CDU leaves the BOM"),
        ]),
        ("manifold", ["mf-vr-us"], [
            ([("mf-vr-cm", 1)], {}, "maker A, Taiwan/China"),
            ([("mf-vr-auras", 1)], {}, "maker B, Taiwan/Vietnam"),
            ([("mf-vr-us", 1)], {}, "US-made: Wisconsin or bought (base)"),
        ]),
        ("quick_disconnect", ["qd-fositek"], [
            ([("qd-fositek", 58)], {}, "Taiwan, single-sourced (base)"),
            ([("qd-cpc", 58)], {}, "US, three suppliers"),
            ([("qd-staubli", 58)], {}, "Germany"),
        ]),
        ("cable_cartridge", ["cc-nvl6-a"], [
            ([("cc-nvl6-a", 4)], {}, "maker A, Mexico/US (base; yield-limited)"),
            ([("cc-nvl6-b", 4)], {}, "maker B, China/Vietnam"),
        ]),
        ("frame", ["fr-mgx-tw"], [
            ([("fr-mgx-tw", 1)], {}, "MGX 48U high-payload, Taiwan (base)"),
            ([("fr-mgx-us", 1)], {}, "MGX 48U high-payload, US"),
            ([("fr-orv3-us", 1)], {"frame.rack_units": 47, "frame.max_weight_kg": 1500, "frame.footprint_m2": 0.64},
             "ORv3 US frame, 1,500 kg: passes only without the in-rack CDU"),
        ]),
    ]),
    ("gb300-nvl72", [
        ("power_shelf", ["ps-33kw-us"], [
            ([("ps-33kw-tw", 8)], {}, "8 x 33 kW, Taiwan-made"),
            ([("ps-33kw-us", 8)], {}, "8 x 33 kW, US-made: Ohio or bought from Flex (base)"),
            ([("ps-33kw-us", 6)], {"electrical.redundant_power_shelves": 1}, "6 x 33 kW, N+1: 165 kW usable (passes)"),
            ([("ps-33kw-tw", 5)], {"electrical.redundant_power_shelves": 1}, "5 x 33 kW, N+1: 132 kW < 138 kW IT (fails power)"),
        ]),
        ("cdu", ["cdu-150kw-tw", "hose-nvl72"], [
            ([("cdu-150kw-tw", 1), ("hose-nvl72", 1)], {}, "in-rack 150 kW CDU (base)"),
            ([("cdu-inrow-kit", 1)], {}, "in-row CDU (facility-cooled)"),
        ]),
        ("manifold", ["mf-nvl72-us"], [
            ([("mf-nvl72-tw", 1)], {}, "Taiwan makers"),
            ([("mf-nvl72-us", 1)], {}, "US-made: Wisconsin or bought (base)"),
        ]),
        ("frame", ["fr-orv3-tw"], [
            ([("fr-orv3-tw", 1)], {}, "ORv3, Taiwan (base)"),
            ([("fr-orv3-us", 1)], {}, "ORv3, US"),
            ([("fr-orv3-de", 1)], {}, "ORv3, Germany"),
        ]),
    ]),
]

FIELD = {"electrical.busbar_voltage_v": "busbar_voltage_v", "electrical.busbar_rating_a": "busbar_rating_a",
         "electrical.redundant_power_shelves": "redundant_power_shelves", "frame.rack_units": "rack_units",
         "frame.max_weight_kg": "max_weight_kg", "frame.footprint_m2": "footprint_m2"}

def check_spaces():
    import itertools
    for gid, slots in SPACES:
        d = next(x for x in D if x["id"] == gid)
        base = dict(d["bom"])
        seen = set()
        for _, repl, opts in slots:
            for r in repl:
                assert r in base and r not in seen, (gid, r)
                seen.add(r)
            for bom, _, _ in opts:
                for cid, _ in bom: assert cid in CI and O[cid], cid
        npass = nfail = 0
        for choice in itertools.product(*[range(len(s[2])) for s in slots]):
            bom = {k: v for k, v in base.items() if k not in seen}
            dd = dict(d)
            for (slot, repl, opts), k in zip(slots, choice):
                for cid, q in opts[k][0]: bom[cid] = bom.get(cid, 0) + q
                for key, val in opts[k][1].items(): dd[FIELD[key]] = val
            _, _, ok = rollup(list(bom.items()), dd, RQ[d["meets"]])
            npass += ok; nfail += not ok
        print(f"space {gid}: {npass} variants pass, {nfail} fail")

def write_space():
    out = ["# Design space (DESIGN.md \"Design space\"): variants of two designs with real sourcing choices.",
           "# Each slot replaces components of the design's BOM; exactly one option per slot is chosen.",
           "spaces:"]
    for gid, slots in SPACES:
        out += [f"  - design: {gid}", "    slots:"]
        for slot, repl, opts in slots:
            out += [f"      - slot: {slot}", f"        replaces: [{', '.join(repl)}]", "        options:"]
            for bom, sets, note in opts:
                out.append(f"          - bom: [{', '.join(f'{{component: {c}, qty: {num(q)}}}' for c, q in bom)}]   # {note}")
                if sets:
                    out.append(f"            set: {{{', '.join(f'{k}: {num(v)}' for k, v in sets.items())}}}")
    write("design_space.yaml", "\n".join(out) + "\n")

if __name__ == "__main__" and "--verify-only" not in sys.argv:
    assert verify(False)
    check_spaces()
    write_all()
    write_space()
    print("written to", OUT)
