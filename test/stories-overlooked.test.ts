import { describe, expect, it } from "vitest";
import { scoreOverlooked } from "../src/stories/overlooked";

describe("overlooked signal", () => {
  it("calls a story no US outlet covered overlooked, and says so in plain words", () => {
    const s = scoreOverlooked({ outletCount: 4, countries: ["JP", "KR", "DE", "JP"], usOutlets: [], trackedUsOutlets: 6 });
    expect(s.overlooked).toBe(true);
    expect(s.reason).toBe("Covered by 4 outlets in 3 countries; none of the 6 US outlets we track.");
  });

  it("is not overlooked when US outlets covered it, and says how many", () => {
    const s = scoreOverlooked({ outletCount: 4, countries: ["JP", "KR", "DE"], usOutlets: ["NPR", "AP", "NPR"], trackedUsOutlets: 6 });
    expect(s.overlooked).toBe(false);
    expect(s.reason).toBe("Covered by 4 outlets in 3 countries. Also covered by AP and NPR.");
  });

  it("ranks every overlooked story above every US-covered one", () => {
    const narrowOverlooked = scoreOverlooked({ outletCount: 1, countries: ["SK"], usOutlets: [], trackedUsOutlets: 6 });
    const broadCovered = scoreOverlooked({ outletCount: 20, countries: ["A", "B", "C", "D", "E", "F"], usOutlets: ["CNN"], trackedUsOutlets: 6 });
    expect(narrowOverlooked.score).toBeGreaterThan(broadCovered.score);
  });

  it("rewards breadth: more outlets and more countries score higher", () => {
    const one = scoreOverlooked({ outletCount: 1, countries: ["BR"], usOutlets: [], trackedUsOutlets: 6 });
    const twoOutlets = scoreOverlooked({ outletCount: 2, countries: ["BR"], usOutlets: [], trackedUsOutlets: 6 });
    const twoCountries = scoreOverlooked({ outletCount: 2, countries: ["BR", "AR"], usOutlets: [], trackedUsOutlets: 6 });
    expect(twoOutlets.score).toBeGreaterThan(one.score);
    expect(twoCountries.score).toBeGreaterThan(twoOutlets.score);
    expect(one.reason).toBe("Covered by 1 outlet in Brazil; none of the 6 US outlets we track.");
  });

  it("scores less the more US outlets covered it", () => {
    const us = ["AP", "CNN", "Fox News", "NPR", "The New York Times", "The Washington Post"];
    const scores = [1, 3, 6].map((n) => scoreOverlooked({ outletCount: 3, countries: ["KE", "NG"], usOutlets: us.slice(0, n), trackedUsOutlets: 6 }).score);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
    expect(scoreOverlooked({ outletCount: 3, countries: ["KE"], usOutlets: us.slice(0, 3), trackedUsOutlets: 6 }).reason).toBe(
      "Covered by 3 outlets in Kenya. Also covered by AP, CNN and Fox News.",
    );
    expect(scoreOverlooked({ outletCount: 3, countries: ["KE"], usOutlets: us, trackedUsOutlets: 6 }).reason).toBe(
      "Covered by 3 outlets in Kenya. Also covered by AP, CNN, Fox News, NPR and 2 more.",
    );
  });

  it("does not claim 'overlooked' when no US outlet is tracked", () => {
    const s = scoreOverlooked({ outletCount: 2, countries: ["FR", "DE"], usOutlets: [], trackedUsOutlets: 0 });
    expect(s.overlooked).toBe(false);
    expect(s.reason).toBe("Covered by 2 outlets in 2 countries; we track no US outlets, so US coverage is unknown.");
  });

  it("handles a story only US outlets covered", () => {
    const s = scoreOverlooked({ outletCount: 0, countries: [], usOutlets: ["NPR", "CNN"], trackedUsOutlets: 6 });
    expect(s).toEqual({ score: 0, overlooked: false, reason: "Covered only by US outlets: CNN and NPR." });
  });

  it("speaks of the one tracked US outlet in the singular", () => {
    expect(scoreOverlooked({ outletCount: 2, countries: ["IN"], usOutlets: [], trackedUsOutlets: 1 }).reason).toBe(
      "Covered by 2 outlets in India; not by the one US outlet we track.",
    );
  });
});
