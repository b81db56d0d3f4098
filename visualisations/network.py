"""The network picture: one self-contained, offline HTML page drawn by vis-network.

pyvis supplies the drawing layer (its ``Network`` and options JSON); the page comes
from our own template, because pyvis's templates load vis-network and bootstrap
from CDNs. The vis-network code is inlined from the pyvis package, and the page
carries a Content-Security-Policy that forbids any fetch, so it works offline.
:func:`render_network_fragment` gives the same picture for a page of one's own, whose
policy admits the start-up script by its nonce.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from .assets import json_for_script, vis_network_js
from .elements import as_table, edge_table, node_records, sector_groups, sector_legend
from .groups import GroupBy, group_view
from .layout import grouped_layout
from .palette import INK, MUTED_INK, PAPER

_CSS_LENGTH = re.compile(r"\d{1,5}(\.\d{1,3})?(px|vh|em|rem)")
_NONCE = re.compile(r"[A-Za-z0-9+/_-]{8,128}={0,2}")


def render_network(
    G: Any,
    *,
    title: str,
    height: str = "640px",
    physics_threshold: int = 500,
    edge_threshold: int = 10_000,
    group_by: GroupBy | None = None,
    communities: Sequence[Collection[Hashable]] | None = None,
    seed: int = 7,
) -> str:
    """A complete HTML page drawing `G`, coloured by sector, with a legend.

    Node size follows betweenness, line width follows intensity (or weight), brokers
    have a thick dark border, bridges are diamonds, bridge ties are dashed. Above
    `physics_threshold` nodes the positions are computed here, grouped by community
    when `communities` are given and by sector otherwise, and physics is off. Above
    `edge_threshold` edges the page draws the lines itself, in one layer under the
    nodes (vis-network spends ~30 µs building each edge it draws), and hands
    vis-network only the links of the stakeholder clicked, which then show highlighted
    with their tooltips. Tooltips are written in the browser from each node's fields.
    With `group_by` the page shows :func:`group_view` instead: one node per group.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> page = render_network(G, title="Two stakeholders")
    >>> 'data-node-count="2"' in page and 'data-edge-count="1"' in page
    True
    """
    context = _context(G, title, height, physics_threshold, edge_threshold, group_by, communities, seed)
    return _template("network.html").render(**context, vis_js=vis_network_js(), nonce=None)


@dataclass(frozen=True)
class NetworkFragment:
    """The network picture for a page of one's own.

    ``css`` belongs in a ``<style>`` element of the page; ``html`` is the picture, its
    legend, its data and its start-up script, which needs vis-network loaded before it
    (e.g. :func:`vis_network_js` served as a file). The start-up script carries the
    `nonce`, for a Content-Security-Policy of ``script-src 'nonce-...'``.
    """

    css: str
    html: str
    node_count: int
    edge_count: int


def render_network_fragment(
    G: Any,
    *,
    title: str,
    nonce: str,
    height: str = "640px",
    physics_threshold: int = 500,
    edge_threshold: int = 10_000,
    group_by: GroupBy | None = None,
    communities: Sequence[Collection[Hashable]] | None = None,
    seed: int = 7,
) -> NetworkFragment:
    """The picture of :func:`render_network`, to embed in a page that loads vis-network itself.

    Examples
    --------
    >>> import networkx as nx
    >>> part = render_network_fragment(nx.Graph([("a", "b")]), title="Two", nonce="abc123de")
    >>> '<script nonce="abc123de">' in part.html, "<html" in part.html, part.node_count
    (True, False, 2)
    """
    if not _NONCE.fullmatch(nonce):
        raise ValueError("nonce must be base64 or base64url text")
    context = _context(G, title, height, physics_threshold, edge_threshold, group_by, communities, seed)
    context.update(vis_js="", nonce=nonce)
    body, script = (
        _template(name).render(**context) for name in ("network_body.html", "network_script.html")
    )
    return NetworkFragment(
        css=_template("network_style.html").render(**context),
        html=body + script,
        node_count=context["node_count"],
        edge_count=context["edge_count"],
    )


def _context(
    G: Any,
    title: str,
    height: str,
    physics_threshold: int,
    edge_threshold: int,
    group_by: GroupBy | None,
    communities: Sequence[Collection[Hashable]] | None,
    seed: int,
) -> dict[str, Any]:
    if not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"height must be a CSS length such as '640px', not {height!r}")
    if group_by is not None:
        G = group_view(G, by=group_by, communities=communities)
    nodes, index = node_records(G, summary=group_by is not None)
    large = G.number_of_nodes() > physics_threshold
    if large:
        layout_communities = communities if group_by is None else None
        _place(G, nodes, _layout_groups(G, layout_communities), seed)
    edges = edge_table(G, index, relative=group_by is not None)
    net = _pyvis_network(G, height=height, physics=not large, seed=seed)
    return _page_context(
        net,
        G,
        nodes,
        edges,
        title=title,
        large=large,
        lines=G.number_of_edges() > edge_threshold,
        group_by=group_by,
        by_community=communities is not None,
    )


def _layout_groups(G: Any, communities: Sequence[Collection[Hashable]] | None) -> dict[Hashable, Hashable]:
    if communities is None:
        return {node: str(data.get("sector") or "other") for node, data in G.nodes(data=True)}
    groups: dict[Hashable, Hashable] = {n: i for i, c in enumerate(communities) for n in c}
    return {node: groups.get(node, -1) for node in G.nodes}


def _place(G: Any, nodes: list[dict[str, Any]], groups: dict[Hashable, Hashable], seed: int) -> None:
    positions = grouped_layout(G, groups, seed=seed)
    for node, record in zip(G.nodes, nodes, strict=True):
        x, y = positions[node]
        record["x"], record["y"] = round(x), round(y)


def _pyvis_network(G: Any, *, height: str, physics: bool, seed: int) -> Any:
    # Imported here: pyvis imports IPython (~0.8 s), which no command but drawing needs.
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=G.is_directed(), bgcolor=PAPER)
    net.toggle_physics(physics)
    net.toggle_stabilization(physics)
    net.inherit_edge_colors(False)
    if physics:
        net.force_atlas_2based(gravity=-60, spring_length=110, damping=0.5, overlap=0.3)
        net.set_edge_smooth("continuous")
        net.options.physics.stabilization.iterations = 400
    else:
        # Straight lines, hidden while dragging: 100,000 curves redrawn per frame stall the page.
        net.options.edges.smooth.enabled = False
        net.toggle_hide_edges_on_drag(True)
    net.options.layout = {"randomSeed": seed, "improvedLayout": G.number_of_nodes() <= 100}
    return net


def _vis_options(net: Any, G: Any) -> dict[str, Any]:
    _, _, _, _, _, options_json = net.get_network_data()
    options: dict[str, Any] = json.loads(options_json)
    sectors = {str(d.get("sector") or "other") for _, d in G.nodes(data=True)}
    options["groups"] = sector_groups(sorted(sectors))
    options["nodes"] = {
        "shape": "dot",
        "borderWidth": 1.5,
        "font": {"color": INK, "size": 14, "strokeWidth": 3, "strokeColor": PAPER},
    }
    edges = options.setdefault("edges", {})
    edges["color"] = {"color": "#8C8C8C", "highlight": INK, "hover": INK, "inherit": False}
    edges["selectionWidth"] = 2
    if not options["physics"]["enabled"]:
        # Thousands of overlapping lines: faint ones let the crossings between groups show.
        edges["color"]["opacity"] = 0.35
    if G.is_directed():
        edges["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.6}}
    options.setdefault("interaction", {}).update(
        {"hover": True, "tooltipDelay": 150, "keyboard": {"enabled": True, "bindToWindow": False}}
    )
    return options


def _page_context(
    net: Any,
    G: Any,
    nodes: list[dict[str, Any]],
    edges: dict[str, Any],
    *,
    title: str,
    large: bool,
    lines: bool,
    group_by: GroupBy | None,
    by_community: bool,
) -> dict[str, Any]:
    sectors, missing = sector_legend(G, weight="members" if group_by == "sector" else None)
    if group_by == "community":
        missing = []  # a community takes its colour from one sector; others are hidden in it
    data = {
        "nodes": as_table(nodes),
        "edges": edges,
        "sectors": {row["sector"]: row["label"] for row in sectors},
        "lines": lines,
        "options": _vis_options(net, G),
    }
    intensities = (e.get("intensity") for _, _, e in G.edges(data=True))
    return dict(
        title=title,
        height=net.height,
        node_count=len(nodes),
        edge_count=len(edges["to"]),
        sectors=sectors,
        missing_sectors=missing,
        size_by="members" if group_by else "betweenness",
        width_by="intensity" if any(i is not None for i in intensities) else "weight",
        directed=G.is_directed(),
        large=large,
        large_by_community=by_community,
        lines=lines,
        group_by=group_by,
        any_broker=any(d.get("broker") for _, d in G.nodes(data=True)),
        any_bridge=any(d.get("bridge") for _, d in G.nodes(data=True)),
        any_bridge_tie=any(d.get("bridge") for _, _, d in G.edges(data=True)),
        colours={"ink": INK, "muted": MUTED_INK, "paper": PAPER},
        data_json=json_for_script(data),
    )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("visualisations", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)
