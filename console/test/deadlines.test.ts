import { describe, expect, test } from "vitest";
import { deadlineBucket, expiryBucket, nextDeadline, type ApplicationDeadlineFields } from "../src/logic/deadlines";

const TODAY = "2026-12-05";
const base: ApplicationDeadlineFields = {
  state: "SUBMITTED",
  materialsDueOn: "2026-12-11",
  siteCheckDueOn: null,
  decisionDueOn: null,
  certificateDueOn: null,
  decisionOverdue: false,
  certificateOverdue: false,
  ruleVersions: ["permits.materials_request@2019-04-23"],
};

describe("the deadline an application owes next", () => {
  test("a submitted application owes the materials check, under 行政许可法 Art. 32", () => {
    const deadline = nextDeadline(base, TODAY);
    expect(deadline).toMatchObject({ kind: "materials", dueOn: "2026-12-11", overdue: false });
    expect(deadline?.basis).toContain("行政许可法 (2019) Art. 32");
  });

  test("an accepted one owes the decision, with the rule version in force when it was accepted", () => {
    const deadline = nextDeadline(
      {
        ...base,
        state: "ACCEPTED",
        decisionDueOn: "2026-12-18",
        ruleVersions: ["permits.materials_request@2019-04-23", "permits.operating.decision@2023-12-01"],
      },
      TODAY,
    );
    expect(deadline).toMatchObject({ kind: "decision", ruleVersion: "permits.operating.decision@2023-12-01" });
    expect(deadline?.basis).toContain("SAMR Order 78");
  });

  test("the hub's overdue flag decides, not the browser's arithmetic", () => {
    const late = nextDeadline({ ...base, state: "SITE_CHECK", decisionDueOn: "2026-12-18", decisionOverdue: true }, TODAY);
    expect(late?.overdue).toBe(true);
    expect(deadlineBucket(late, TODAY)).toBe("overdue");
  });

  test("an approved application owes its certificate; a decided one owes nothing", () => {
    expect(nextDeadline({ ...base, state: "APPROVED", certificateDueOn: "2026-12-20" }, TODAY)?.kind).toBe("certificate");
    expect(nextDeadline({ ...base, state: "CERT_ISSUED" }, TODAY)).toBeNull();
    expect(deadlineBucket(null, TODAY)).toBe("noDeadline");
  });

  test("an unknown rule version shows itself instead of a basis", () => {
    const deadline = nextDeadline({ ...base, ruleVersions: ["permits.materials_request@2031-01-01"] }, TODAY);
    expect(deadline).toMatchObject({ ruleVersion: "permits.materials_request@2031-01-01", basis: null });
  });

  test("due within 7 days is soon; later is later", () => {
    expect(deadlineBucket(nextDeadline({ ...base, materialsDueOn: "2026-12-12" }, TODAY), TODAY)).toBe("dueSoon");
    expect(deadlineBucket(nextDeadline({ ...base, materialsDueOn: "2026-12-13" }, TODAY), TODAY)).toBe("dueLater");
  });
});

describe("permit expiry bands", () => {
  test.each([
    ["2026-12-05", "within30"],
    ["2027-01-04", "within30"],
    ["2027-01-05", "within60"],
    ["2027-02-03", "within60"],
    ["2027-02-04", "within90"],
    ["2027-03-05", "within90"],
    ["2027-03-06", null],
    ["2026-12-04", null],
  ])("last valid day %s is %s", (validTo, band) => {
    expect(expiryBucket(validTo, TODAY)).toBe(band);
  });
});
