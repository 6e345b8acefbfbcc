/**
 * The one place method groups are combined. The messaging issue adds its group here:
 * `createMethodTable(sessionMethods, chatMethods)`.
 */
import { chatMethods } from "./chat-methods.ts";
import { createMethodTable } from "./methods.ts";
import { sessionMethods } from "./session-methods.ts";

export const METHOD_TABLE = createMethodTable(sessionMethods, chatMethods);
