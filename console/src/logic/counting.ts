// Counting rows into chart categories, in a fixed order so charts and their lists agree.

export interface Category {
  key: string;
  count: number;
}

/** Counts of `items` by `key`, in `order` first (zeros kept), then any other keys met, largest first. */
export function countBy<T>(items: readonly T[], key: (item: T) => string | null, order: readonly string[] = []): Category[] {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  for (const item of items) {
    const k = key(item);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const known = order.map((k) => ({ key: k, count: counts.get(k) ?? 0 }));
  const others = [...counts.entries()]
    .filter(([k]) => !order.includes(k))
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return [...known, ...others];
}

/** Drop zero categories unless every one is zero (an empty chart still shows its axes). */
export function nonZero(categories: readonly Category[]): Category[] {
  const kept = categories.filter((c) => c.count > 0);
  return kept.length > 0 ? kept : [...categories];
}

export function total(categories: readonly Category[]): number {
  return categories.reduce((sum, c) => sum + c.count, 0);
}
