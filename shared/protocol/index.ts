/** The WebSocket protocol (CONTRACT §6): frames, methods, close codes, parsing. */
export * from "./close-codes.ts";
export * from "./frames.ts";
export * from "./methods.ts";
export * from "./parse.ts";
