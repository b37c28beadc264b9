"""A planner's question, worked through: how much Asia-to-Europe traffic fits through Central
Asia without crossing Russia, which link is the bottleneck, and what does one failure cost?

The documentation build runs this script (docs/conf.py) and shows its output under it, so what
you read was computed by the routecore that the docs describe. Figures are the scenario's
(sourced or listed as assumptions in its scenario.toml); latencies are one-way propagation.
"""

from routecore.analyses import failure_sweep, flow_between, route_between
from routecore.scenario import load_scenario

# 1. The shipped scenario: places, links with capacity and latency, variants, assumptions.
net = load_scenario("central-asia")
print(f"{len(net.nodes)} places, {len(net.links)} links; variants: {', '.join(net.variant_names)}")

# 2. The fastest route from the China border to Frankfurt, first unrestricted, then avoiding
#    Russia (its nodes are not passed through).
for avoid in ([], ["RU"]):
    route = route_between(net, "khorgos", "frankfurt", avoid_countries=avoid)
    assert route is not None
    label = "avoiding RU" if avoid else "any route  "
    print(f"{label}: {route.latency_ms:6.2f} ms one-way via {' > '.join(route.nodes)}")

# 3. Transit capacity avoiding Russia, for each design of the Trans-Caspian cable: the max flow
#    and the links of the minimum cut (the bottleneck a planner would upgrade).
for name in [None, *net.variant_names]:
    case = net if name is None else net.variant(name)
    flow = flow_between(case, avoid_countries=["RU"])
    print(
        f"{name or 'base':>18}: {flow.value_gbps / 1000:5.1f} Tbit/s, "
        f"cut {', '.join(flow.cut_links)}"
    )

# 4. Every single-link failure of the base case (routes through Russia allowed), ranked by the
#    transit capacity lost; the sweep batches every case into a few C++ calls.
worst = failure_sweep(net).head(5)
columns = ["failed", "max_flow_gbps", "lost_gbps", "lost_share", "added_one_way_propagation_ms"]
print(worst[columns].to_string(index=False, float_format=lambda x: f"{x:.2f}"))
