"""The agency's branding on a report ([branding] in napaudit.toml: name, logo, accent colour,
footer), made safe to read: the accent an agency picks may be too light for text, so text gets
the accent darkened until it has WCAG AA contrast (4.5:1) on every background it sits on, while
borders and chart lines keep the colour as chosen.
"""

from __future__ import annotations

import base64
import mimetypes

from napaudit.auditor.config import Branding
from napaudit.reports.load import ReportError

AA = 4.5  # WCAG 2.x level AA for normal text
# The report's light backgrounds that links and accented text sit on (see _style.css).
BACKGROUNDS = ("#ffffff", "#f4f5f7", "#fdecea")
LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp")
LOGO_MAX_BYTES = 1_000_000  # embedded in every page: a megabyte is already generous


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: str, backgrounds=BACKGROUNDS, ratio: float = AA) -> str:
    """`colour`, darkened just enough to reach `ratio` on every one of `backgrounds`."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(101):
        scale = 1 - step / 100
        candidate = "#" + "".join(f"{round(c * scale):02x}" for c in rgb)
        if all(contrast(candidate, bg) >= ratio for bg in backgrounds):
            return candidate
    return "#000000"


def ink_on(colour: str) -> str:
    """White or near-black, whichever reads better on a `colour` background."""
    return "#ffffff" if contrast("#ffffff", colour) >= contrast("#1d2430", colour) else "#1d2430"


def brand_view(brand: Branding | None) -> dict:
    """What the templates need: name, footer, the logo as a data: URI (the pages load nothing
    from elsewhere), the accent as chosen and as text can use it."""
    brand = brand or Branding()
    text = readable(brand.accent)
    return {
        "name": brand.name,
        "footer": brand.footer,
        "logo": _logo(brand) if brand.logo else None,
        "accent": brand.accent.lower(),
        "accent_text": text,
        "accent_ink": ink_on(text),
    }


def _logo(brand: Branding) -> str:
    path = brand.logo
    kind = mimetypes.guess_type(path.name)[0]
    if kind not in LOGO_TYPES:
        raise ReportError(f"[branding] logo: {path} is not a PNG, JPEG, GIF, SVG or WebP image")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"[branding] logo: {path} cannot be read ({exc.strerror})") from None
    if len(data) > LOGO_MAX_BYTES:
        raise ReportError(f"[branding] logo: {path} is {len(data) // 1024} KB; use one under "
                          f"{LOGO_MAX_BYTES // 1_000_000} MB")  # fmt: skip
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
