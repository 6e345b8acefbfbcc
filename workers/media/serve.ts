/**
 * A media's bytes as an HTTP answer (CONTRACT §11), once the caller may read them: the stored
 * type for images and voice notes, an attachment of `application/octet-stream` for files (a
 * browser never renders or runs one), `ETag` = the SHA-256, one `Range` honoured, and headers
 * that keep a browser from sniffing or caching it for others.
 */
import { failure } from "../../shared/envelope.ts";
import { ERROR_CODE, NotFoundError } from "../../shared/errors.ts";
import { FILE_SERVED_TYPE } from "../../shared/media/kinds.ts";
import type { MediaFile } from "../../shared/media/schemas.ts";

type ByteRange = { offset: number; length: number };

/** The answer to a GET (or HEAD) of `file`, given the request's headers. */
export async function serveMedia(
  bucket: R2Bucket,
  file: MediaFile,
  request: Request,
): Promise<Response> {
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "Content-Type": file.kind === "file" ? FILE_SERVED_TYPE : file.mime,
    "ETag": etag,
    "Accept-Ranges": "bytes",
    // Revalidated on every use: a recall makes the media unreadable at once, cached copies too.
    "Cache-Control": "private, no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Content-Disposition": file.kind === "file" ? attachment(file.name) : "inline",
  });
  if (request.headers.get("If-None-Match") === etag) {
    return new Response(null, { status: 304, headers });
  }
  const range = rangeOf(request.headers.get("Range"), file.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${file.size}`);
    headers.set("Content-Type", "application/json");
    const body = failure(ERROR_CODE.invalidParams, `Range: outside the ${file.size} bytes`);
    return Response.json(body, { status: 416, headers });
  }
  const object = await bucket.get(file.mediaId, range ? { range } : {});
  if (!object) throw new NotFoundError(`mediaId: no media ${file.mediaId}`);
  headers.set("Content-Length", String(range ? range.length : file.size));
  if (!range) return new Response(object.body, { status: 200, headers });
  const last = range.offset + range.length - 1;
  headers.set("Content-Range", `bytes ${range.offset}-${last}/${file.size}`);
  return new Response(object.body, { status: 206, headers });
}

/**
 * One byte range of `bytes=a-b`, `bytes=a-` or `bytes=-n` (clamped to the size); null for no
 * Range or one this does not serve (several ranges: the whole body, as HTTP allows).
 */
function rangeOf(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") {
    const suffix = Math.min(Number(last), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const offset = Number(first);
  if (offset >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (end < offset) return null;
  return { offset, length: end - offset + 1 };
}

/** `attachment` with the file's name (RFC 6266: an ASCII fallback and the UTF-8 name). */
function attachment(name: string): string {
  if (name === "") return "attachment";
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
