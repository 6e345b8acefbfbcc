/**
 * Sending media from a chat: the attach button (any file; images are sent as images), the voice
 * note recorder, and the progress bar of each upload. `useMediaSender` is what a chat uses for
 * pasted and dropped files too.
 */
import { useRef, useState } from "preact/hooks";
import { errorText } from "../actions.ts";
import { type Recording, sendBlob, startRecording, type Upload } from "../media.ts";
import type { Conversation } from "../store.ts";

/** The uploads of a chat under way, and how to start one. */
export function useMediaSender(
  conversation: Conversation | undefined,
  onError: (text: string) => void,
) {
  const [uploads, setUploads] = useState<Upload[]>([]);

  async function send(blob: Blob, options: Parameters<typeof sendBlob>[2] = {}) {
    if (!conversation) return;
    const id = crypto.randomUUID();
    const name = options.name ?? (blob as File).name ?? "voice note";
    const update = (loaded: number, total: number) =>
      setUploads((now) => now.map((u) => (u.id === id ? { ...u, loaded, total } : u)));
    setUploads((now) => [...now, { id, name, loaded: 0, total: blob.size }]);
    try {
      await sendBlob(conversation, blob, options, update);
    } catch (thrown) {
      onError(errorText(thrown));
    } finally {
      setUploads((now) => now.filter((u) => u.id !== id));
    }
  }

  /** Sends every file of a pick, a paste or a drop. */
  const sendFiles = (files: Iterable<File>) => {
    for (const file of files) void send(file);
  };
  return { uploads, send, sendFiles };
}

export function UploadProgress({ uploads }: { uploads: Upload[] }) {
  if (uploads.length === 0) return null;
  return (
    <ul class="uploads" data-testid="uploads">
      {uploads.map((u) => (
        <li key={u.id}>
          <span class="grow">{u.name}</span>
          <progress max={u.total || 1} value={u.loaded} aria-label={`Uploading ${u.name}`} />
        </li>
      ))}
    </ul>
  );
}

interface AttachProps {
  onFiles: (files: File[]) => void;
  onVoice: (blob: Blob, durationMs: number) => void;
  onError: (text: string) => void;
}

export function MediaAttach({ onFiles, onVoice, onError }: AttachProps) {
  const picker = useRef<HTMLInputElement>(null);
  const recording = useRef<Recording | undefined>(undefined);
  const [recordingNow, setRecordingNow] = useState(false);

  async function toggleRecording() {
    if (recording.current) {
      const { blob, durationMs } = await recording.current.stop();
      recording.current = undefined;
      setRecordingNow(false);
      onVoice(blob, durationMs);
      return;
    }
    try {
      recording.current = await startRecording();
      setRecordingNow(true);
    } catch (thrown) {
      onError(`Cannot record: ${errorText(thrown)}`);
    }
  }

  return (
    <>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          const input = event.currentTarget as HTMLInputElement;
          onFiles([...(input.files ?? [])]);
          input.value = "";
        }}
      />
      <button
        type="button"
        class="icon"
        aria-label="Attach a file"
        title="Attach a file (or paste or drop one)"
        onClick={() => picker.current?.click()}
      >
        Attach
      </button>
      <button
        type="button"
        class={recordingNow ? "icon recording" : "icon"}
        aria-label={recordingNow ? "Stop and send the voice note" : "Record a voice note"}
        title={recordingNow ? "Stop and send" : "Record a voice note"}
        onClick={() => void toggleRecording()}
      >
        {recordingNow ? "Stop ●" : "Voice"}
      </button>
    </>
  );
}
