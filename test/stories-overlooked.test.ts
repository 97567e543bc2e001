import { describe, expect, it } from "vitest";
import { scoreOverlooked } from "../src/stories/overlooked";

describe("overlooked signal", () => {
  it("calls a story no US outlet covered overlooked, and says so in plain words", () => {
    const s = scoreOverlooked({ outletCount: 4, countries: ["JP", "KR", "DE", "JP"], usOutletCount: 0, trackedUsOutlets: 6 });
    expect(s.overlooked).toBe(true);
    expect(s.reason).toBe("Covered by 4 outlets in 3 countries; none of the 6 US outlets we track.");
  });

  it("is not overlooked when US outlets covered it, and says how many", () => {
    const s = scoreOverlooked({ outletCount: 4, countries: ["JP", "KR", "DE"], usOutletCount: 2, trackedUsOutlets: 6 });
    expect(s.overlooked).toBe(false);
    expect(s.reason).toBe("Covered by 4 outlets in 3 countries. Also covered by 2 of the 6 US outlets we track.");
  });

  it("ranks every overlooked story above every US-covered one", () => {
    const narrowOverlooked = scoreOverlooked({ outletCount: 1, countries: ["SK"], usOutletCount: 0, trackedUsOutlets: 6 });
    const broadCovered = scoreOverlooked({ outletCount: 20, countries: ["A", "B", "C", "D", "E", "F"], usOutletCount: 1, trackedUsOutlets: 6 });
    expect(narrowOverlooked.score).toBeGreaterThan(broadCovered.score);
  });

  it("rewards breadth: more outlets and more countries score higher", () => {
    const one = scoreOverlooked({ outletCount: 1, countries: ["BR"], usOutletCount: 0, trackedUsOutlets: 6 });
    const twoOutlets = scoreOverlooked({ outletCount: 2, countries: ["BR"], usOutletCount: 0, trackedUsOutlets: 6 });
    const twoCountries = scoreOverlooked({ outletCount: 2, countries: ["BR", "AR"], usOutletCount: 0, trackedUsOutlets: 6 });
    expect(twoOutlets.score).toBeGreaterThan(one.score);
    expect(twoCountries.score).toBeGreaterThan(twoOutlets.score);
    expect(one.reason).toBe("Covered by 1 outlet in Brazil; none of the 6 US outlets we track.");
  });

  it("scores less the more US outlets covered it", () => {
    const scores = [1, 3, 6].map((us) => scoreOverlooked({ outletCount: 3, countries: ["KE", "NG"], usOutletCount: us, trackedUsOutlets: 6 }).score);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    expect(scoreOverlooked({ outletCount: 3, countries: ["KE"], usOutletCount: 6, trackedUsOutlets: 6 }).reason).toBe(
      "Covered by 3 outlets in Kenya. Also covered by all 6 US outlets we track.",
    );
  });

  it("does not claim 'overlooked' when no US outlet is tracked", () => {
    const s = scoreOverlooked({ outletCount: 2, countries: ["FR", "DE"], usOutletCount: 0, trackedUsOutlets: 0 });
    expect(s.overlooked).toBe(false);
    expect(s.reason).toBe("Covered by 2 outlets in 2 countries; we track no US outlets, so US coverage is unknown.");
  });

  it("handles a story only US outlets covered", () => {
    const s = scoreOverlooked({ outletCount: 0, countries: [], usOutletCount: 2, trackedUsOutlets: 6 });
    expect(s).toEqual({ score: 0, overlooked: false, reason: "Covered only by US outlets (2 outlets)." });
  });

  it("speaks of the one tracked US outlet in the singular", () => {
    expect(scoreOverlooked({ outletCount: 2, countries: ["IN"], usOutletCount: 0, trackedUsOutlets: 1 }).reason).toBe(
      "Covered by 2 outlets in India; not by the one US outlet we track.",
    );
  });
});
