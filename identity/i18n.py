"""Login page language: zh-CN by default, English via ``ui_locales`` (OIDC Core §3.1.2.1) or Accept-Language."""

from __future__ import annotations

from typing import Literal

Locale = Literal["zh-CN", "en"]

MESSAGES: dict[Locale, dict[str, str]] = {
    "zh-CN": {
        "title": "智监 · 统一身份认证",
        "username": "用户名",
        "password": "密码",
        "sign_in": "登录",
        "invalid": "用户名或密码错误。",
        "locked": "登录失败次数过多，账号已临时锁定，请稍后再试。",
        "throttled": "尝试过于频繁，请一分钟后再试。",
        "csrf": "页面已过期，请重新登录。",
        "bad_request": "请求无效",
        "signed_out": "您已安全退出。",
        "confirm_logout": "确认退出登录？",
        "sign_out": "退出",
    },
    "en": {
        "title": "zhijian · Sign in",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "invalid": "Wrong username or password.",
        "locked": "Too many failed attempts; the account is locked for a while. Try again later.",
        "throttled": "Too many attempts; wait a minute and try again.",
        "csrf": "This page expired; please sign in again.",
        "bad_request": "Invalid request",
        "signed_out": "You have signed out.",
        "confirm_logout": "Sign out now?",
        "sign_out": "Sign out",
    },
}


def choose_locale(ui_locales: str | None, accept_language: str | None) -> Locale:
    """``ui_locales`` first (space-separated BCP 47 tags), then Accept-Language, else zh-CN."""
    candidates = (ui_locales or "").split()
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            candidates.append(tag)
    for tag in candidates:
        primary = tag.lower().split("-")[0]
        if primary == "zh":
            return "zh-CN"
        if primary == "en":
            return "en"
    return "zh-CN"


def text(locale: Locale, key: str) -> str:
    return MESSAGES[locale][key]
