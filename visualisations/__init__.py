"""Pictures built from projections: the network page (pyvis / vis-network) and static SVG charts.

Everything here works offline: no page or chart loads anything from elsewhere.
"""

from __future__ import annotations

from .charts import commitments_over_time_svg, mixing_heatmap_svg, sparkline_svg
from .groupmap import group_map_svg
from .groups import group_view
from .network import NetworkFragment, render_network, render_network_fragment

__all__ = [
    "NetworkFragment",
    "commitments_over_time_svg",
    "group_map_svg",
    "group_view",
    "mixing_heatmap_svg",
    "render_network",
    "render_network_fragment",
    "sparkline_svg",
]
