/** A JSON client for the hub's HTTP API (Node's fetch, loopback only). */
export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/** `token`: sent as `Authorization: Bearer <token>` on every request (the hub's admin token); none = anonymous */
export function apiClient(baseUrl: string, opts: { token?: string } = {}) {
  async function request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the assertion message
    }
    return { status: res.status, body: parsed as T };
  }
  return {
    request,
    get: <T = any>(path: string) => request<T>('GET', path),
    post: <T = any>(path: string, body?: unknown) => request<T>('POST', path, body),
    patch: <T = any>(path: string, body?: unknown) => request<T>('PATCH', path, body),
    delete: <T = any>(path: string) => request<T>('DELETE', path),
    /** sends `raw` exactly as given (malformed JSON, huge bodies) */
    raw: <T = any>(method: string, path: string, raw: string, contentType = 'application/json') =>
      request<T>(method, path, raw, { 'content-type': contentType }),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
