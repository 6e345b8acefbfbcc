/**
 * The media a message carries: an image (its thumbnail at once, the image once loaded; a click
 * opens it full size), a file (name, size, a download link) or a voice note (a native player).
 * The bytes come from a signed URL, so `<img>` and `<audio>` need no token.
 */
import { useEffect, useState } from "preact/hooks";
import type { MessageMedia } from "../../../shared/client/index.ts";
import { mediaUrl, sizeText } from "../media.ts";

export function MediaContent({ media }: { media: MessageMedia }) {
  const [url, setUrl] = useState<string>();
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    setUrl(undefined);
    setLoaded(false);
    mediaUrl(media.mediaId).then(setUrl, () => setFailed(true));
  }, [media.mediaId]);

  if (failed) return <span class="media-gone">media unavailable</span>;
  if (media.kind === "image") {
    const box = media.width && media.height
      ? { aspectRatio: `${media.width} / ${media.height}` }
      : {};
    return (
      <a class="media-image" href={url} target="_blank" rel="noopener" style={box}>
        {media.thumb && !loaded && <img class="thumb" src={media.thumb} alt="" />}
        {url && (
          <img
            class={loaded ? "full" : "full loading"}
            src={url}
            alt="image"
            data-testid="media-image"
            onLoad={() => setLoaded(true)}
          />
        )}
      </a>
    );
  }
  if (media.kind === "voice") {
    return (
      <span class="media-voice">
        {url ? <audio controls preload="metadata" src={url} data-testid="media-audio" /> : "…"}
        {media.durationMs !== null && <small>{Math.round(media.durationMs / 1000)} s</small>}
      </span>
    );
  }
  return (
    <span class="media-file" data-testid="media-file">
      <span class="file-icon" aria-hidden="true">{extensionOf(media.name)}</span>
      <span class="grow">
        <span class="file-name">{media.name || "file"}</span>
        <small>{sizeText(media.size)}</small>
      </span>
      {url && <a href={url} download={media.name || "file"}>Download</a>}
    </span>
  );
}

/** A file's extension for its icon ("TXT"), or "FILE". */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1, dot + 5) : "";
  return extension ? extension.toUpperCase() : "FILE";
}
