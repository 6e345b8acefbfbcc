/**
 * Media in the web app (CONTRACT §11): sending a picked, pasted or dropped file (an image gets a
 * canvas-made thumbnail of at most 4 KiB and its size), recording a voice note, and the signed
 * URLs `<img>` and `<audio>` load the bytes from (kept until shortly before they expire).
 */
import {
  type ChatLog,
  type Media,
  MediaClient,
  type MediaKind,
  type MediaMessageExtras,
} from "../../shared/client/index.ts";
import { type Conversation, getState, session } from "./store.ts";

const media = new MediaClient({ token: () => getState().token ?? "" });

/** The image types the server takes as images; anything else is sent as a file. */
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const THUMB_MAX_CHARS = 4096;
const THUMB_EDGE = 64;

/** An upload under way, for the progress bar. */
export interface Upload {
  id: string;
  name: string;
  loaded: number;
  total: number;
}

/** How a list row or a quote says a message: `[image]`, `[file] name`, `[voice]`, or its text. */
export function previewText(message: Pick<ChatLog, "content" | "media">): string {
  const { media: attached, content } = message;
  if (!attached) return content;
  const label = attached.kind === "file" ? `[file] ${attached.name}` : `[${attached.kind}]`;
  return content ? `${label} ${content}` : label;
}

/** "1.2 MB" */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Uploads `blob` into `conversation` (progress through `onProgress`) and sends it; an image
 * first gets its thumbnail and size, a voice note its duration.
 */
export async function sendBlob(
  conversation: Conversation,
  blob: Blob,
  options: { kind?: MediaKind; name?: string; durationMs?: number },
  onProgress: (loaded: number, total: number) => void,
): Promise<void> {
  if (!session) throw new Error("not signed in");
  const kind = options.kind ?? (IMAGE_TYPES.includes(blob.type) ? "image" : "file");
  const extras: MediaMessageExtras = kind === "image" ? await describeImage(blob) : {};
  if (options.durationMs !== undefined) extras.durationMs = Math.round(options.durationMs);
  const uploaded: Media = await media.upload(conversation.conversationId, blob, {
    kind,
    ...(options.name !== undefined && { name: options.name }),
    onProgress: ({ loaded, total }) => onProgress(loaded, total),
  });
  await session.sendMedia(
    { chatType: conversation.chatType, recvId: conversation.targetId },
    uploaded,
    extras,
  );
}

/** An image's size and a JPEG thumbnail of at most THUMB_MAX_CHARS (none if it cannot fit). */
async function describeImage(blob: Blob): Promise<MediaMessageExtras> {
  try {
    const bitmap = await createImageBitmap(blob);
    const { width, height } = bitmap;
    const scale = Math.min(1, THUMB_EDGE / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    for (const quality of [0.7, 0.5, 0.3, 0.15]) {
      const thumb = canvas.toDataURL("image/jpeg", quality);
      if (thumb.length <= THUMB_MAX_CHARS) return { width, height, thumb };
    }
    return { width, height };
  } catch {
    // Not decodable here (an odd GIF, say): sent without a preview.
    return {};
  }
}

/** A voice note being recorded: `stop()` ends it and gives the recording and its length. */
export interface Recording {
  stop(): Promise<{ blob: Blob; durationMs: number }>;
}

/** Starts recording a voice note from the microphone (asks for permission the first time). */
export async function startRecording(): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const type = ["audio/webm", "audio/ogg", "audio/mp4"].find((t) =>
    MediaRecorder.isTypeSupported(t)
  );
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const chunks: Blob[] = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const startedAt = performance.now();
  recorder.start();
  return {
    stop: () =>
      new Promise((resolve) => {
        recorder.onstop = () => {
          for (const track of stream.getTracks()) track.stop();
          // The server checks the bytes against the declared type, without its codecs part.
          const blobType = (recorder.mimeType || type || "audio/webm").split(";")[0]!;
          resolve({
            blob: new Blob(chunks, { type: blobType }),
            durationMs: performance.now() - startedAt,
          });
        };
        recorder.stop();
      }),
  };
}

/** Signed URLs by media id, kept until a minute before they expire. */
const urls = new Map<string, Promise<{ url: string; expires: number }>>();

/** A URL `<img>`/`<audio>`/a download link can load `mediaId` from. */
export async function mediaUrl(mediaId: string): Promise<string> {
  let signed = urls.get(mediaId);
  if (!signed || (await signed.catch(() => ({ expires: 0 }))).expires < Date.now() + 60_000) {
    signed = media.signedUrl(mediaId);
    urls.set(mediaId, signed);
    signed.catch(() => urls.delete(mediaId));
  }
  return (await signed).url;
}
