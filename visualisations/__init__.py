"""Pictures built from projections: the network page (pyvis / vis-network) and static SVG charts.

Everything here works offline: no page or chart loads anything from elsewhere.
"""

from __future__ import annotations

from .charts import commitments_over_time_svg, mixing_heatmap_svg, sparkline_svg
from .groups import group_view
from .network import render_network

__all__ = [
    "commitments_over_time_svg",
    "group_view",
    "mixing_heatmap_svg",
    "render_network",
    "sparkline_svg",
]
