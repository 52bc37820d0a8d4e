"""What a page's layout looks like in the browser, measured by script in the page."""

# Every visible element that reaches past the right edge of the screen, or out of the
# card it sits in, unless a box between them scrolls or clips it (that box is itself
# measured). Described as tag.class "text", with how far it reaches.
SPILLING = """() => {
  const screen = document.documentElement.clientWidth;
  const clippedBelow = (element, top) => {
    for (let box = element.parentElement; box && box !== top; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (element) => {
    const name = element.tagName.toLowerCase() +
      (element.className && element.className.baseVal === undefined && element.className
        ? "." + element.className.trim().split(/\\s+/).join(".") : "");
    return `${name} "${(element.textContent || "").trim().slice(0, 40)}"`;
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const rect = element.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue;  // hidden, or for screen readers only
    const parent = element.parentElement.getBoundingClientRect();
    if (parent.right > screen + 1) continue;  // the outermost one is told, not its insides
    if (rect.right > screen + 1 && !clippedBelow(element, document.body)) {
      found.push(`${describe(element)} reaches ${Math.round(rect.right)}px of ${screen}px`);
    }
  }
  for (const card of document.querySelectorAll(".card")) {
    const edge = card.getBoundingClientRect().right;
    for (const element of card.querySelectorAll("*")) {
      const rect = element.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1 || clippedBelow(element, card)) continue;
      if (element.parentElement.getBoundingClientRect().right > edge + 1) continue;
      if (rect.right > edge + 1) {
        const over = Math.round(rect.right - edge);
        found.push(`${describe(element)} spills ${over}px out of its card`);
      }
    }
  }
  return found;
}"""

TOP_BAR_HEIGHT = "() => document.querySelector('.topbar').getBoundingClientRect().height"

# The strategy map drawing the screen shows: its box and its container's, and the texts
# that end cut short.
SHOWN_MAP = """() => {
  const shown = [...document.querySelectorAll("svg.map")].filter(
    (svg) => svg.getBoundingClientRect().width > 0);
  return shown.map((svg) => {
    const own = svg.getBoundingClientRect();
    const container = svg.closest(".card").getBoundingClientRect();
    return {
      left: own.left, right: own.right, container_left: container.left,
      container_right: container.right, font_scale: own.width / svg.viewBox.baseVal.width,
      cut: [...svg.querySelectorAll("text")].map((t) => t.textContent)
        .filter((text) => text.endsWith("…")),
    };
  });
}"""

# Boxes whose content is wider than they are, so that they scroll sideways: fine on a
# phone, a sign of a cramped column on a desktop's screen.
SCROLLING_SIDEWAYS = """() => [...document.body.querySelectorAll("*")]
  .filter((box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
    && box.scrollWidth > box.clientWidth + 1)
  .map((box) => `${box.className} "${box.textContent.trim().slice(0, 40)}" scrolls`
    + ` ${box.scrollWidth - box.clientWidth}px sideways`)"""
