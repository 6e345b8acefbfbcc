/**
 * Measuring and judging text the way limits and names need it (CONTRACT §15 "Names and text"):
 * plain functions, so the zod schemas (shared/validation.ts), the message checks and any other
 * entry point (a file name in a header) apply the same rules.
 */

/** UTF-8 byte length: the unit of bcrypt's 72-byte limit, content limits and frame sizes. */
export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Length in code points, the unit of every "characters" limit. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

// With the `u` flag a surrogate matches \p{Cs} only when it is unpaired: a pair is one code point.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when `text` is well-formed Unicode. JSON.parse turns an escaped `\uD800` into a lone
 * surrogate; stored, it becomes U+FFFD (or several) and escapes the length limit it passed.
 */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Characters no name or label may hold: controls (C0, DEL, C1: newline, tab, NUL…), format
 * characters (bidirectional overrides, marks and isolates, zero-width space and joiners, BOM,
 * soft hyphen, tags), line and paragraph separators, and the other default-ignorable code points
 * (Hangul fillers, combining grapheme joiner): each either reorders what follows or draws
 * nothing, so a name holding one can pass for another ("victim\u200B", "\u202Eexe.gnp").
 * Variation selectors are default-ignorable too but pick an emoji's presentation; they stay.
 */
const HIDDEN_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const ZERO_WIDTH_JOINER = "\u200D";
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const EMOJI_MODIFIER_OR_SELECTOR = /[\u{1F3FB}-\u{1F3FF}\uFE0F]/u;
/** Tag characters, allowed only inside a flag's tag sequence (🏴 + tags + cancel tag). */
const TAG = /[\u{E0020}-\u{E007F}]/u;
const BLACK_FLAG = "\u{1F3F4}";

/** Code points that show nothing by themselves: spaces, marks, ignorables, the Braille blank. */
const INVISIBLE = /[\p{White_Space}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** What a piece of text may hold beyond the name rules. */
export interface TextRule {
  /** Line feeds allowed (a group notice, a request message); never other controls. */
  lineBreaks?: boolean;
}

/**
 * Why `text` is not acceptable as a name or label, or null when it is. The joiner of an emoji
 * sequence (👩‍👩‍👧) and a flag's tag characters are the only hidden characters that pass: they
 * join visible pictographs and cannot stand alone.
 */
export function hiddenCharacterProblem(text: string, rule: TextRule = {}): string | null {
  if (!isWellFormed(text)) return "must be well-formed Unicode (no unpaired surrogates)";
  const points = [...text];
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    if (!HIDDEN_OR_CONTROL.test(point) || VARIATION_SELECTOR.test(point)) continue;
    if (point === "\n" && rule.lineBreaks) continue;
    if (point === ZERO_WIDTH_JOINER && joinsEmoji(points[i - 1], points[i + 1])) continue;
    if (TAG.test(point) && (points[i - 1] === BLACK_FLAG || TAG.test(points[i - 1] ?? ""))) {
      continue;
    }
    return `must not contain control, bidirectional or invisible characters (found ${
      describeCodePoint(point)
    }${rule.lineBreaks ? "; line breaks are allowed" : ""})`;
  }
  return null;
}

/** True when `text` holds something a reader can see. */
export function hasVisibleCharacter(text: string): boolean {
  for (const point of text) if (!INVISIBLE.test(point)) return true;
  return false;
}

function joinsEmoji(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return (PICTOGRAPH.test(before) || EMOJI_MODIFIER_OR_SELECTOR.test(before)) &&
    PICTOGRAPH.test(after);
}

/** "U+202E": how a refused character is named in an error message (it may not print). */
export function describeCodePoint(point: string): string {
  return `U+${point.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
