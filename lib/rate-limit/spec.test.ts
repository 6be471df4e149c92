import { describe, expect, it } from "vitest";
import { parseLimitSpec } from "./spec";

describe("a rate limit as a deployment writes it", () => {
  it('reads "N/S", several windows, and "off"', () => {
    expect(parseLimitSpec("50/60")).toEqual([{ points: 50, seconds: 60 }]);
    expect(parseLimitSpec(" 1 / 60 , 5/3600 ")).toEqual([
      { points: 1, seconds: 60 },
      { points: 5, seconds: 3600 },
    ]);
    expect(parseLimitSpec("OFF")).toBeNull();
  });

  it("refuses anything else rather than guessing", () => {
    for (const bad of ["", "50", "50/0", "0/60", "-1/60", "1/86401", "fifty/60", "50/60/2", "1/60,"]) {
      expect(parseLimitSpec(bad), bad).toBe("invalid");
    }
  });
});
