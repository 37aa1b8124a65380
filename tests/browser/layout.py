"""What the layout tests measure in the browser: how wide a page is, and what it hides."""

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

# A phone as the issue saw it: 390 CSS pixels wide, laid out as a phone lays out (a page without
# a viewport tag gets 980 px, as on a real phone).
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}

# Every element whose content is wider than its box and is cut off or scrolled sideways, except
# form fields, whose typed text may scroll inside them.
_MEASURE = """() => {
  const hidden = [];
  for (const el of document.querySelectorAll('body *')) {
    if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION'].includes(el.tagName)) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      hidden.push(`${name} (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  return {width: document.documentElement.scrollWidth, hidden};
}"""


def signed_in(browser: Browser, base: str, username: str, password: str, **device: Any) -> Page:
    context: BrowserContext = browser.new_context(**device)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def layout_problems(page: Page, width: int) -> list[str]:
    """Why the page does not fit ``width`` px: wider than the window, or content cut off."""
    measured = page.evaluate(_MEASURE)
    problems = list(measured["hidden"])
    if measured["width"] > width:
        problems.insert(0, f"the document is {measured['width']} px wide")
    return problems
