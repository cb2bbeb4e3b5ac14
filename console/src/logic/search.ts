// What a search box entry is: a USCC (opens the file), a permit number, or part of a name.

export type SearchKind = "uscc" | "permit" | "name";

const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const PERMIT = /^(JY|SC|YB)\d{14}$/; // 食品经营 / 生产许可, 预包装备案 (numbers.py)

export function classify(raw: string): { kind: SearchKind; value: string } {
  const value = raw.trim();
  const upper = value.toUpperCase().replace(/\s+/g, "");
  if (upper.length === 18 && USCC.test(upper)) return { kind: "uscc", value: upper };
  if (PERMIT.test(upper)) return { kind: "permit", value: upper };
  return { kind: "name", value };
}
