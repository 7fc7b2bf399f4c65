"""The palette's text colours read on every ground they are set on: WCAG AA contrast (4.5:1
for text under 14 pt bold), computed from the custom properties of styles/base.css."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT = ("ink", "deep", "muted", "accent-text")
GROUNDS = ("white", "cream", "soft")


def palette() -> dict[str, str]:
    css = (ROOT / "styles" / "base.css").read_text(encoding="utf-8")
    root = css[css.index(":root") : css.index("}", css.index(":root"))]
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", root))


def luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("text", TEXT)
def test_text_colours_reach_4_5_to_1_on_every_ground(text):
    colours = palette()
    low = {ground: round(contrast(colours[text], colours[ground]), 2) for ground in GROUNDS}
    assert min(low.values()) >= 4.5, f"--{text} on {low}"


def test_the_rule_fails_the_old_kicker_colour():
    # the terracotta of rules and bullets, which the kicker used: 3.96:1 on cream (D18)
    assert contrast(palette()["accent"], palette()["cream"]) < 4.5
