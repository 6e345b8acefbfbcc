/** Measuring text the way limits count it. */

/** UTF-8 byte length: the unit of bcrypt's 72-byte limit, content limits and frame sizes. */
export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
