/**
 * A server-sent events client on Node's fetch streaming, as a browser's EventSource reads the hub's /api/events:
 * frames are parsed as they arrive (id, event, data as JSON), comment lines (the heartbeat) counted.
 */
import { waitUntil } from './wait.ts';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** the JSON body of a refusal (not 200) */
  body: any;
  /** every event so far, in order */
  readonly events: SseEvent[];
  /** comment lines (`: ping`) so far */
  readonly comments: number;
  /** the `retry:` the server asked for */
  readonly retry: number | undefined;
  /** the first event (after `from`) that matches, waiting for it */
  next(match: (e: SseEvent) => boolean, what: string, timeoutMs?: number, from?: number): Promise<SseEvent>;
  /** whether the server ended the stream */
  readonly ended: boolean;
  close(): void;
}

export async function openEvents(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  let comments = 0;
  let retry: number | undefined;
  let ended = false;
  const body = res.status === 200 ? undefined : await res.json();
  if (res.status === 200 && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, end);
            buf = buf.slice(end + 2);
            let id: string | undefined;
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments++;
              else if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
              else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
            }
            if (data.length > 0) events.push({ id, event, data: JSON.parse(data.join('\n')) });
          }
        }
      } catch {
        // aborted by close()
      }
      ended = true;
    })();
  }
  return {
    status: res.status,
    headers: res.headers,
    body,
    events,
    get comments() {
      return comments;
    },
    get retry() {
      return retry;
    },
    get ended() {
      return ended;
    },
    next: (match, what, timeoutMs = 10_000, from = 0) => waitUntil(() => events.slice(from).find(match), what, timeoutMs),
    close: () => abort.abort(),
  };
}
