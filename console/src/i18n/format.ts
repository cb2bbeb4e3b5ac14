// Dates in Beijing time and numbers grouped the way each language groups them (万/亿 in Chinese).
export type Locale = "zh-CN" | "en";

export const BEIJING = "Asia/Shanghai";

/** Today's calendar date in Beijing (YYYY-MM-DD): the date the law counts days by, whatever the browser's zone. */
export function beijingDate(now: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: BEIJING, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(now)
    .reduce<Record<string, string>>((found, part) => ({ ...found, [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const DAY_MS = 86_400_000;

function utcDay(iso: string): number {
  const [year, month, day] = iso.split("-").map(Number);
  return Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1);
}

/** `iso` moved by `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return new Date(utcDay(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

/** A count as people read it: 12,345 in English; 1,234 and 1.2万 / 370万 / 1.5亿 in Chinese from ten thousand up. */
export function formatCount(value: number, locale: Locale): string {
  if (locale === "zh-CN" && Math.abs(value) >= 10_000) {
    return new Intl.NumberFormat("zh-CN", { notation: "compact", maximumFractionDigits: 1 }).format(value);
  }
  return new Intl.NumberFormat(locale === "zh-CN" ? "zh-CN" : "en-US").format(value);
}

/** A date (YYYY-MM-DD) as written in each language: 2026年3月1日 / 1 Mar 2026. */
export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "—";
  const at = new Date(`${iso}T00:00:00+08:00`);
  return new Intl.DateTimeFormat(locale === "zh-CN" ? "zh-CN" : "en-GB", {
    timeZone: BEIJING,
    year: "numeric",
    month: locale === "zh-CN" ? "numeric" : "short",
    day: "numeric",
  }).format(at);
}

/** A moment in Beijing time with the zone named: 2026/3/1 14:05 (北京时间) / 1 Mar 2026, 14:05 (Beijing). */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return "—";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const text = new Intl.DateTimeFormat(locale === "zh-CN" ? "zh-CN" : "en-GB", {
    timeZone: BEIJING,
    year: "numeric",
    month: locale === "zh-CN" ? "numeric" : "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(at);
  return `${text} ${locale === "zh-CN" ? "(北京时间)" : "(Beijing)"}`;
}
