/**
 * Media over HTTP (CONTRACT §11): uploads with progress, signed URLs, and the `msg` a send of an
 * upload carries. An upload is its bytes as the body; in a browser it goes through
 * XMLHttpRequest, the one API that reports upload progress everywhere, and elsewhere through
 * fetch (progress then says 0 % and 100 %).
 */
import type { components } from "./api-types.ts";
import { ChatError, NO_ANSWER_CODE } from "./errors.ts";
import { pageOrigin } from "./http.ts";

type Schemas = components["schemas"];
export type Media = Schemas["Media"];
export type MediaUrl = Schemas["MediaUrl"];
export type MessageMedia = NonNullable<Schemas["ChatLog"]["media"]>;
export type MediaKind = Media["kind"];

/** The `mType` of a message carrying each kind. */
export const MEDIA_MESSAGE_TYPE = { image: 1, file: 2, voice: 4 } as const;

export interface MediaClientOptions {
  /** Where the service is (default: this page's origin). */
  baseUrl?: string;
  /** The access token, read before every request. */
  token: string | (() => string | Promise<string>);
  /** The fetch to use where there is no XMLHttpRequest (tests hand in the Worker's own). */
  fetch?: typeof globalThis.fetch;
}

export interface UploadMediaOptions {
  kind: MediaKind;
  /** A file's name (default: the File's own name, if the blob is one). */
  name?: string;
  /** Bytes sent so far of `total`, as the upload goes. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  signal?: AbortSignal;
}

/** What a send of an upload may say besides it (`thumb`: a data: URL ≤ 4 KiB). */
export interface MediaMessageExtras {
  caption?: string;
  width?: number;
  height?: number;
  durationMs?: number;
  thumb?: string;
}

/** The `msg` of a send carrying `media`: its message type, the caption, and the extras. */
export function mediaMessage(
  media: Pick<Media, "mediaId" | "kind">,
  extras: MediaMessageExtras = {},
) {
  const { caption = "", ...described } = extras;
  return {
    mType: MEDIA_MESSAGE_TYPE[media.kind],
    content: caption,
    media: { mediaId: media.mediaId, ...described },
  };
}

export class MediaClient {
  constructor(private readonly options: MediaClientOptions) {}

  /** Uploads `blob` into `conversationId` as `kind`; resolves with the stored Media. */
  async upload(conversationId: string, blob: Blob, options: UploadMediaOptions): Promise<Media> {
    const url = this.url("/v1/media");
    url.search = new URLSearchParams({ conversationId, kind: options.kind }).toString();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      "Content-Type": blob.type || "application/octet-stream",
    };
    const name = options.name ?? (blob as { name?: string }).name;
    if (name) headers["X-File-Name"] = encodeURIComponent(name);
    const total = blob.size;
    const progress = options.onProgress;
    progress?.({ loaded: 0, total });
    const Xhr = (globalThis as { XMLHttpRequest?: XhrClass }).XMLHttpRequest;
    const response = Xhr
      ? await xhrPost(new Xhr(), url, headers, blob, options)
      : await (this.options.fetch ?? globalThis.fetch)(url, {
        method: "POST",
        headers,
        body: blob,
        signal: options.signal,
      });
    if (!response.ok) throw await ChatError.fromResponse(response);
    progress?.({ loaded: total, total });
    return ((await response.json()) as { data: Media }).data;
  }

  /** A signed URL of a media the user may read, for `<img src>` / `<audio src>` (15 min). */
  async signedUrl(mediaId: string): Promise<MediaUrl> {
    const response = await (this.options.fetch ?? globalThis.fetch)(
      this.url(`/v1/media/${encodeURIComponent(mediaId)}/url`),
      { headers: { Authorization: `Bearer ${await this.token()}` } },
    );
    if (!response.ok) throw await ChatError.fromResponse(response);
    return ((await response.json()) as { data: MediaUrl }).data;
  }

  private url(path: string): URL {
    return new URL(path, this.options.baseUrl ?? pageOrigin());
  }

  private async token(): Promise<string> {
    const { token } = this.options;
    return typeof token === "string" ? token : await token();
  }
}

/** What the upload uses of a browser's XMLHttpRequest (the SDK's types have no DOM). */
interface Xhr {
  open(method: string, url: URL): void;
  setRequestHeader(name: string, value: string): void;
  responseType: string;
  readonly responseText: string;
  readonly status: number;
  getAllResponseHeaders(): string;
  upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  abort(): void;
  send(body: Blob): void;
}
type XhrClass = new () => Xhr;

/** A POST through XMLHttpRequest (upload progress events), answered as a fetch Response. */
function xhrPost(
  xhr: Xhr,
  url: URL,
  headers: Record<string, string>,
  body: Blob,
  options: UploadMediaOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      options.onProgress?.({ loaded: event.loaded, total: event.total || body.size });
    };
    xhr.onload = () => {
      const answer = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
        const at = line.indexOf(":");
        if (at > 0) answer.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      resolve(new Response(xhr.responseText, { status: xhr.status, headers: answer }));
    };
    const failed = (why: string) => () => reject(new ChatError(NO_ANSWER_CODE, why));
    xhr.onerror = failed("the upload failed: no answer");
    xhr.onabort = failed("the upload was aborted");
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
