import { describe, expect, test } from "vitest";
import { editDistance, nearest } from "../src/suggest.js";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["campaignId", "campaignId", 0],
    ["campaignid", "campaignId", 1],
    ["flaw", "lawn", 2],
  ])("%j → %j: %i", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe("nearest", () => {
  const keys = ["campaignId", "listId", "pearlId", "sequenceId"];

  test("a typo: the key it is closest to", () => {
    expect(nearest("campainId", keys)).toBe("campaignId");
    expect(nearest("lstId", keys)).toBe("listId");
    expect(nearest("perlId", keys)).toBe("pearlId");
  });

  test("case is ignored, and the candidate comes back as spelled", () => {
    expect(nearest("SEQUENCEID", keys)).toBe("sequenceId");
  });

  test("a tie: the first candidate of the closest", () => {
    expect(nearest("ab", ["ax", "xb"])).toBe("ax");
    expect(nearest("ab", ["xb", "ax"])).toBe("xb");
  });

  test("one candidate: that one, however far", () => {
    expect(nearest("zzzzzz", ["listId"])).toBe("listId");
  });
});
