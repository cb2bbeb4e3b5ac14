"""Page language: zh-CN by default, English via ``ui_locales`` (OIDC Core §3.1.2.1), the page's own switch, or
Accept-Language."""

from __future__ import annotations

from typing import Literal

Locale = Literal["zh-CN", "en"]
LOCALES: tuple[Locale, ...] = ("zh-CN", "en")

MESSAGES: dict[Locale, dict[str, str]] = {
    "zh-CN": {
        "title": "智监 · 统一身份认证",
        "bureau": "深圳市市场监督管理局",
        "language": "语言",
        "officer_entrance": "政务人员",
        "officer_entrance_hint": "监管所、辖区局、市局工作人员",
        "enterprise_entrance": "企业用户",
        "enterprise_entrance_hint": "市场通：办理许可、查看检查结果",
        "username": "用户名",
        "password": "密码",
        "sign_in": "登录",
        "officer_help": "账号由本单位系统管理员开设；忘记密码请联系管理员。",
        "enterprise_help": "还没有企业账号？",
        "register": "注册企业账号",
        "invalid": "用户名或密码错误。",
        "slowed": "登录失败次数较多，请稍候再试。",
        "throttled": "尝试过于频繁，请稍候再试。",
        "retry_after": "请在 {seconds} 秒后重试。",
        "csrf": "页面已过期，请重新登录。",
        "bad_request": "请求无效",
        "error_help": "请返回应用重新发起登录；如问题持续，请联系系统管理员。",
        "signed_out": "您已安全退出。",
        "confirm_logout": "确认退出登录？",
        "sign_out": "退出",
        "consent_title": "授权确认",
        "consent_intro": "第三方应用「{client}」请求以您的身份访问：",
        "consent_signed_in_as": "当前登录：{name}",
        "allow": "同意授权",
        "deny": "拒绝",
        "consent_remember": "同意后将记住此授权，您可随时在“已授权应用”中撤回。",
        "consents_title": "已授权应用",
        "consents_none": "您尚未授权任何第三方应用。",
        "withdraw": "撤回授权",
        "withdrawn": "已撤回授权，该应用的令牌已失效。",
        "register_title": "注册企业账号",
        "display_name": "姓名",
        "uscc": "统一社会信用代码",
        "legal_representative": "法定代表人姓名",
        "register_submit": "提交注册",
        "register_note": "注册后需经法定代表人确认（由监管部门或电子营业执照核验完成），确认前无法办理业务。",
        "registered": "注册已提交，等待法定代表人确认。确认后即可登录办理业务。",
        "register_invalid": "注册信息有误：{detail}",
        "back_to_sign_in": "返回登录",
        "scope_openid": "确认您的身份",
        "scope_profile": "读取您的姓名与账号",
        "scope_offline_access": "在您离线时保持访问",
        "scope_entities:read": "查看市场主体信息",
        "scope_entities:write": "修改市场主体信息",
        "scope_permits:read": "查看许可信息",
        "scope_permits:write": "办理许可事项",
        "scope_supervision:read": "查看监督检查信息",
        "scope_supervision:write": "办理监督检查事项",
        "scope_enforcement:read": "查看执法案件",
        "scope_enforcement:write": "办理执法案件",
        "scope_detection:read": "查看检测与明厨亮灶信息",
        "scope_detection:write": "办理检测与明厨亮灶整改事项",
    },
    "en": {
        "title": "zhijian · Sign in",
        "bureau": "Shenzhen Administration for Market Regulation",
        "language": "Language",
        "officer_entrance": "Officers",
        "officer_entrance_hint": "Staff of stations, district bureaus and the city bureau",
        "enterprise_entrance": "Enterprises",
        "enterprise_entrance_hint": "市场通: permits and inspection results",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "officer_help": "Accounts are opened by your unit's administrator; ask them if you forgot your password.",
        "enterprise_help": "No enterprise account yet?",
        "register": "Register an enterprise account",
        "invalid": "Wrong username or password.",
        "slowed": "Several failed sign-ins; please wait a moment before trying again.",
        "throttled": "Too many attempts; please wait a moment before trying again.",
        "retry_after": "Try again in {seconds} s.",
        "csrf": "This page expired; please sign in again.",
        "bad_request": "Invalid request",
        "error_help": "Go back to the app and start the sign-in again; if this persists, contact your administrator.",
        "signed_out": "You have signed out.",
        "confirm_logout": "Sign out now?",
        "sign_out": "Sign out",
        "consent_title": "Allow access",
        "consent_intro": "The third-party app “{client}” asks to act on your behalf to:",
        "consent_signed_in_as": "Signed in as {name}",
        "allow": "Allow",
        "deny": "Deny",
        "consent_remember": "Your answer is remembered; you can withdraw it any time under “Apps you allowed”.",
        "consents_title": "Apps you allowed",
        "consents_none": "You have not allowed any third-party app.",
        "withdraw": "Withdraw",
        "withdrawn": "Withdrawn; the app's tokens no longer work.",
        "register_title": "Register an enterprise account",
        "display_name": "Your name",
        "uscc": "Unified Social Credit Code",
        "legal_representative": "Legal representative's name",
        "register_submit": "Register",
        "register_note": (
            "The legal representative must confirm the registration (checked by the bureau or the electronic "
            "business licence) before you can act for the enterprise."
        ),
        "registered": "Registered. Once the legal representative has confirmed, you can sign in and act.",
        "register_invalid": "The registration is not valid: {detail}",
        "back_to_sign_in": "Back to sign-in",
        "scope_openid": "Confirm who you are",
        "scope_profile": "Read your name and username",
        "scope_offline_access": "Keep access while you are away",
        "scope_entities:read": "See market entities",
        "scope_entities:write": "Change market entities",
        "scope_permits:read": "See permits",
        "scope_permits:write": "Apply for and manage permits",
        "scope_supervision:read": "See inspections",
        "scope_supervision:write": "Carry out inspections",
        "scope_enforcement:read": "See enforcement cases",
        "scope_enforcement:write": "Handle enforcement cases",
        "scope_detection:read": "See sampling results and kitchen alerts",
        "scope_detection:write": "Answer kitchen alerts and record detection results",
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


def text(locale: Locale, key: str, **values: str) -> str:
    """A message in ``locale``; an unknown key (a scope we have no words for) is shown as itself."""
    message = MESSAGES[locale].get(key, key.removeprefix("scope_"))
    return message.format(**values) if values else message
