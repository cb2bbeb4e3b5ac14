import { describe, expect, test } from "vitest";
import { addDays, beijingDate, daysBetween, formatCount, formatDate, formatDateTime } from "../src/i18n/format";

describe("Beijing time", () => {
  test("today is Beijing's date, whatever the machine's zone", () => {
    // 2026-12-04 18:30 UTC is already 5 December in Beijing (UTC+8)
    expect(beijingDate(new Date("2026-12-04T18:30:00Z"))).toBe("2026-12-05");
    expect(beijingDate(new Date("2026-12-04T15:59:59Z"))).toBe("2026-12-04");
  });

  test("moments are shown in Beijing time with the zone named", () => {
    expect(formatDateTime("2026-12-04T18:24:43+00:00", "zh-CN")).toBe("2026/12/5 02:24 (北京时间)");
    expect(formatDateTime("2026-12-04T18:24:43+00:00", "en")).toBe("5 Dec 2026, 02:24 (Beijing)");
  });

  test("dates read as each language writes them", () => {
    expect(formatDate("2026-03-01", "zh-CN")).toBe("2026/3/1");
    expect(formatDate("2026-03-01", "en")).toBe("1 Mar 2026");
    expect(formatDate(null, "en")).toBe("—");
  });

  test("calendar arithmetic crosses months, years and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2026-12-05", "2027-03-05")).toBe(90);
    expect(daysBetween("2026-12-05", "2026-12-01")).toBe(-4);
  });
});

describe("numbers", () => {
  test("Chinese groups large counts by 万 and 亿", () => {
    expect(formatCount(9_999, "zh-CN")).toBe("9,999");
    expect(formatCount(12_345, "zh-CN")).toBe("1.2万");
    expect(formatCount(3_700_000, "zh-CN")).toBe("370万");
    expect(formatCount(150_000_000, "zh-CN")).toBe("1.5亿");
  });

  test("English groups by thousands", () => {
    expect(formatCount(3_700_000, "en")).toBe("3,700,000");
  });
});
