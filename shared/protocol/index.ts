/** The WebSocket protocol (CONTRACT §6): the method and push table, frames, close codes, parsing. */
export * from "./close-codes.ts";
export * from "./frames.ts";
export * from "./methods.ts";
export * from "./parse.ts";
