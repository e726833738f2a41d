/**
 * An OpenAI-compatible chat-completions server on loopback that answers with scripted replies, recording every
 * request it gets. Tests of the planner use it to check protocol, loop and policy, not a model's wits.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedCall {
  name: string;
  /** an object is sent as JSON; a string is sent as is (malformed arguments) */
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptedReply {
  toolCalls?: ScriptedCall[];
  content?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** wait this long before answering */
  delayMs?: number;
  /** answer with this HTTP status and body instead of a completion */
  status?: number;
  raw?: string;
}

export interface RecordedRequest {
  body: {
    model: string;
    messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
    tools?: { type: string; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
    max_tokens?: number;
  };
  headers: IncomingHttpHeaders;
  at: number;
}

export interface ScriptedLlm {
  /** the API base to give the hub (`.../v1`) */
  url: string;
  requests: RecordedRequest[];
  /** replaces the queue of replies; when it runs out the server answers "Done." */
  script(replies: (ScriptedReply | ((req: RecordedRequest) => ScriptedReply))[]): void;
  /** stops listening (connections are refused) until `resume` */
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

let callCounter = 0;

export async function startScriptedLlm(): Promise<ScriptedLlm> {
  let queue: (ScriptedReply | ((req: RecordedRequest) => ScriptedReply))[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":"not found"}');
        return;
      }
      const recorded: RecordedRequest = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers, at: Date.now() };
      requests.push(recorded);
      const next = queue.shift() ?? { content: 'Done.' };
      const reply = typeof next === 'function' ? next(recorded) : next;
      const answer = () => {
        if (res.destroyed) return;
        if (reply.status !== undefined || reply.raw !== undefined) {
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(reply.raw ?? '{}');
          return;
        }
        const toolCalls = reply.toolCalls?.map((c) => ({
          id: c.id ?? `call_${++callCounter}`,
          type: 'function',
          function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
        }));
        const body = {
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: recorded.body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
              finish_reason: toolCalls ? 'tool_calls' : 'stop',
            },
          ],
          usage: { ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 10 }), total_tokens: 0 },
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(replies) {
      queue = [...replies];
      requests.length = 0;
    },
    pause: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    resume: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
}

/** The tool messages of a recorded request, parsed: what the model was told its calls did. */
export function toolResults(req: RecordedRequest): { id: string; content: unknown }[] {
  return req.body.messages.filter((m) => m.role === 'tool').map((m) => ({ id: m.tool_call_id!, content: JSON.parse(m.content ?? 'null') }));
}

/** The catalog the model was given (the `list_devices` result) as rows [id, name, area, kind, state]. */
export function catalogRows(req: RecordedRequest): unknown[][] {
  const catalog = JSON.parse(req.body.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'call_list_devices')!.content!) as { areas: Record<string, { devices?: unknown[][] }> };
  return Object.entries(catalog.areas).flatMap(([area, a]) => (a.devices ?? []).map(([id, name, kind, state]) => [id, name, area, kind, state]));
}
