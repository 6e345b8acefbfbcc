/** How a failed zod parse is told to a client, the same over HTTP and on the WebSocket. */
import type { z } from "zod";

/** "field: problem; other: problem" — names the field a client developer has to fix. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  }).join("; ");
}
