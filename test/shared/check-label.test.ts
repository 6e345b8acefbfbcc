/**
 * checkLabel: the label rules of CONTRACT §15 for text outside a zod schema (a file name in a
 * header) — the stored form, or a 400 naming the field.
 */
import { expect, it } from "vitest";
import { InvalidParamsError } from "../../shared/errors.ts";
import { checkLabel } from "../../shared/validation.ts";

it("returns the trimmed NFC form of a clean label", () => {
  expect(checkLabel("X-File-Name", "  re\u0301sume\u0301.pdf ", 1, 255)).toBe("résumé.pdf");
});

it.each([
  ["a right-to-left override", "\u202Efdp.exe", "U+202E"],
  ["an unpaired surrogate", "a\uD800.txt", "unpaired surrogates"],
  ["nothing visible", "\u0301", "visible"],
  ["too many characters", "a".repeat(256), "1–255 characters"],
])("refuses %s with a 400 naming the field", (_, name, said) => {
  let thrown: unknown;
  try {
    checkLabel("X-File-Name", name, 1, 255);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidParamsError);
  expect((thrown as Error).message).toMatch(/^X-File-Name: /);
  expect((thrown as Error).message).toContain(said);
});
