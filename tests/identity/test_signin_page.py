"""The sign-in page in headless Chromium at desktop and phone widths: zh-CN first with a visible 中文/English switch,
both entrances, a clear error state, nothing fetched from elsewhere, nothing off-screen, inputs that phones do not
zoom into and targets a thumb can hit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from identity.app import create_app
from identity.settings import IdentitySettings
from kernel.db import Database
from tests.gateway.servers import serving
from tests.identity.test_devlogin import Deferred
from tests.support.chromium import Page, chromium

RETURN_TO = quote("/authorize?client_id=zhijian-officer-app&response_type=code", safe="")
VIEWPORTS = {"desktop": (1280, 800, False), "phone": (390, 844, True)}
LAYOUT = """(() => {
  const vw = window.innerWidth;
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.left >= 0 &&
    r.right <= vw + 0.5; };
  const all = (selector) => [...document.querySelectorAll(selector)];
  const alert = document.querySelector('[role=alert]');
  const box = alert && alert.closest('.alert');
  return {
    lang: document.documentElement.lang,
    title: document.querySelector('h1').textContent,
    overflow: document.documentElement.scrollWidth - vw,
    fetched: performance.getEntriesByType('resource').map((entry) => entry.name),
    styled: getComputedStyle(document.querySelector('main')).borderTopLeftRadius,
    inputFonts: all('input:not([type=hidden])').map((e) => parseFloat(getComputedStyle(e).fontSize)),
    targets: all('input:not([type=hidden]), button, .lang a, .entrance').map((e) => e.getBoundingClientRect().height),
    everythingShown: all('h1, input:not([type=hidden]), button, .lang a, .entrance, .help').every(shown),
    languages: all('.lang a').map((a) => [a.textContent, a.getAttribute('aria-current')]),
    entrances: all('.entrance').map((a) => [a.querySelector('strong').textContent, a.getAttribute('aria-current')]),
    alert: box && { text: alert.textContent, color: getComputedStyle(box).color, shown: shown(box),
      hint: box.querySelector('.hint') && box.querySelector('.hint').textContent },
    invalid: all('input[aria-invalid=true]').length,
    mainWidth: document.querySelector('main').getBoundingClientRect().width,
  };
})()"""


@pytest.fixture
async def issuer(database: Database, identity_settings: IdentitySettings) -> AsyncIterator[str]:
    app = Deferred()
    async with serving(app) as url:
        app.target = create_app(database, replace(identity_settings, issuer=url))
        yield url


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with chromium() as tab:
        yield tab


def _readable(layout: dict[str, Any], width: int) -> None:
    assert layout["overflow"] <= 0, "the page scrolls sideways"
    assert layout["fetched"] == [], "the page fetched something"
    assert layout["styled"] == "10px", "the stylesheet did not apply (CSP hash?)"
    assert layout["everythingShown"], "a control is off-screen or hidden"
    assert min(layout["inputFonts"]) >= 16, "phones zoom into inputs under 16px"
    assert min(layout["targets"]) >= 36, "a control is too small to tap"
    assert layout["mainWidth"] <= width


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_the_sign_in_page_is_chinese_first_with_a_visible_switch_and_both_entrances(
    page: Page, issuer: str, viewport: str, tmp_path: Path
) -> None:
    width, height, mobile = VIEWPORTS[viewport]
    # a browser that prefers neither Chinese nor English gets Chinese
    await page.open(f"{issuer}/login?return_to={RETURN_TO}", width, height, mobile=mobile, language="fr-FR,fr")
    layout = await page.evaluate(LAYOUT)
    (tmp_path / f"signin-{viewport}.png").write_bytes(await page.screenshot())  # kept with the test's files
    _readable(layout, width)
    assert layout["lang"] == "zh-CN" and layout["title"] == "统一身份认证"
    assert layout["languages"] == [["中文", "true"], ["English", None]]
    assert layout["entrances"] == [["政务人员", "page"], ["企业用户", None]]
    await page.submit("document.querySelector('.lang a[lang=en]').click()")
    english = await page.evaluate(LAYOUT)
    _readable(english, width)
    assert english["lang"] == "en" and english["languages"] == [["中文", None], ["English", "true"]]
    assert [name for name, _ in english["entrances"]] == ["Officers", "Enterprises"]
    await page.submit("document.querySelector('.entrance.enterprise').click()")
    enterprise = await page.evaluate(LAYOUT)
    assert enterprise["entrances"] == [["Officers", None], ["Enterprises", "page"]] and enterprise["lang"] == "en"


@pytest.mark.parametrize("viewport", VIEWPORTS)
async def test_a_failed_sign_in_shows_a_clear_error_next_to_the_fields(
    page: Page, issuer: str, viewport: str, tmp_path: Path
) -> None:
    width, height, mobile = VIEWPORTS[viewport]
    await page.open(f"{issuer}/login?return_to={RETURN_TO}", width, height, mobile=mobile, language="zh-CN")
    await page.submit(
        "document.querySelector('#username').value = 'futian.case';"
        "document.querySelector('#password').value = 'not the password';"
        "document.querySelector('form').submit()"
    )
    layout = await page.evaluate(LAYOUT)
    (tmp_path / f"signin-error-{viewport}.png").write_bytes(await page.screenshot())
    _readable(layout, width)
    assert layout["alert"]["text"] == "用户名或密码错误。" and layout["alert"]["shown"]
    assert layout["alert"]["color"] == "rgb(180, 35, 24)"  # the error red, not body text
    assert layout["invalid"] == 2  # both fields marked for assistive technology


async def test_a_slowed_sign_in_says_how_long_to_wait(page: Page, issuer: str) -> None:
    await page.open(f"{issuer}/login?return_to={RETURN_TO}", 390, 844, mobile=True, language="zh-CN")
    for _ in range(6):
        await page.submit(
            "document.querySelector('#username').value = 'futian.station';"
            "document.querySelector('#password').value = 'wrong';"
            "document.querySelector('form').submit()"
        )
    layout = await page.evaluate(LAYOUT)
    assert layout["alert"]["text"] == "登录失败次数较多，请稍候再试。"
    assert layout["alert"]["hint"].startswith("请在 ") and layout["alert"]["hint"].endswith(" 秒后重试。")
