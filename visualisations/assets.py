"""The vis-network code shipped inside the pyvis package, made safe to inline.

Pages must work offline and must not name any remote address, so the code is read
from the installed pyvis package (never from a CDN) and its few URLs, which are
licence notes and the SVG namespace string, are written as ``http:\\/\\/``. In a
JavaScript string, template or comment ``\\/`` is just ``/``, so the code behaves
exactly as before.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

VIS_NETWORK_JS = "lib/vis-9.1.2/vis-network.min.js"

_URL_SCHEME = re.compile(r"(https?)://", re.IGNORECASE)
_ANY_URL = re.compile(r"https?://", re.IGNORECASE)
# Characters that could end a <script> element or start an HTML comment or entity,
# plus the two line separators older JavaScript engines reject inside strings.
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def without_url_literals(code: str) -> str:
    r"""Write ``http://`` as ``http:\/\/`` so no URL appears in the page.

    Examples
    --------
    >>> print(without_url_literals('ns="http://www.w3.org/2000/svg"'))
    ns="http:\/\/www.w3.org/2000/svg"
    """
    return _URL_SCHEME.sub(lambda m: m.group(1) + ":\\/\\/", code)


@cache
def vis_network_js() -> str:
    """The vis-network 9.1.2 standalone build from the pyvis package, read once."""
    code = files("pyvis").joinpath(VIS_NETWORK_JS).read_text(encoding="utf-8")
    code = without_url_literals(code)
    if _ANY_URL.search(code) or re.search("</script|<!--", code, re.IGNORECASE):
        raise RuntimeError(f"pyvis's {VIS_NETWORK_JS} cannot be inlined safely")
    return code


def json_for_script(value: Any) -> str:
    """Compact JSON that is safe inside a ``<script>`` element.

    Examples
    --------
    >>> json_for_script({"label": "</script>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
