/**
 * The hub's HTTP API as the page calls it: JSON, same-origin cookies (the session), and `X-Steward-CSRF: 1` on every
 * unsafe method, which the hub requires of cookie-authenticated changes. A hub without the session API (older)
 * gets the admin token as a bearer header instead, held in memory only, never stored.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

let bearer: string | undefined;

/** only for a hub without POST /api/session: the token travels as Authorization until the page is closed */
export function useBearer(token: string | undefined): void {
  bearer = token;
}

const SAFE = new Set(['GET', 'HEAD']);

export async function request<T = unknown>(method: string, path: string, body?: unknown, init: { raw?: Blob; contentType?: string } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!SAFE.has(method)) headers['x-steward-csrf'] = '1';
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let payload: BodyInit | undefined;
  if (init.raw) {
    payload = init.raw;
    headers['content-type'] = init.contentType ?? init.raw.type;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(path, { method, headers, body: payload ?? null, credentials: 'same-origin' });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `${method} ${path}: HTTP ${res.status}`);
  }
  return { status: res.status, body: parsed as T };
}

export const get = async <T>(path: string): Promise<T> => (await request<T>('GET', path)).body;
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** a readable line for an error shown to the user */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * POST /api/command with `Accept: text/event-stream`: the planner's progress (`step`, `tool_call`, `tool_result`)
 * arrives as it happens, then `reply` with the whole response (or `error`).
 */
export async function streamCommand<R>(body: unknown, onProgress: (type: string, data: Record<string, unknown>) => void): Promise<R> {
  const headers: Record<string, string> = { accept: 'text/event-stream', 'content-type': 'application/json', 'x-steward-csrf': '1' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch('/api/command', { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const parsed = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(res.status, parsed?.error?.code ?? `HTTP_${res.status}`, parsed?.error?.message ?? `POST /api/command: HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (data === '') continue;
      const parsed = JSON.parse(data) as Record<string, unknown>;
      if (event === 'reply') return parsed as R;
      if (event === 'error') {
        const err = (parsed.error ?? {}) as { code?: string; message?: string };
        throw new ApiError(500, err.code ?? 'INTERNAL', err.message ?? 'the command failed');
      }
      onProgress(event, parsed);
    }
    if (done) throw new ApiError(502, 'STREAM_ENDED', 'the hub closed the stream without a reply');
  }
}
