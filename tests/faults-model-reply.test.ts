/**
 * Issue 15, found by the fuzzer's hostile model: the planner's OpenAI-compatible backend read a reply of any size
 * (`res.text()`), so a broken or hostile model server could fill the hub's memory with one answer. A reply past
 * 1 MB is now refused with MODEL_BAD_REPLY as soon as it passes the limit, whether it says its length or streams
 * without end; a normal reply still goes through. Real HTTP servers on loopback.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REPLY_BYTES, createOpenAiBackend } from '@steward/hub/planner/openai-backend.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(answer: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const completion = (content: string) =>
  JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });
const request = { messages: [{ role: 'user' as const, content: 'hello' }], tools: [], maxTokens: 100 };

describe("the planner's model replies are bounded", () => {
  it('a normal reply goes through', async () => {
    const url = await serve((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(completion('Done.')));
    const r = await createOpenAiBackend({ url, model: 'm' }).complete(request);
    expect(r.message).toEqual({ role: 'assistant', content: 'Done.' });
  });

  it('a valid completion of 2 MB is refused with MODEL_BAD_REPLY', async () => {
    const url = await serve((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(completion('x'.repeat(2 * 1024 * 1024))));
    await expect(createOpenAiBackend({ url, model: 'm' }).complete(request)).rejects.toMatchObject({
      code: 'MODEL_BAD_REPLY',
      message: `the model server at ${url}/chat/completions answered more than ${MAX_REPLY_BYTES} bytes`,
    });
  });

  it('a reply that never ends is refused once past the limit, long before the call timeout', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":[{"message":{"role":"assistant","content":"');
      const chunk = 'y'.repeat(64 * 1024);
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(chunk)), 1);
      res.on('close', () => clearInterval(t));
    });
    const started = Date.now();
    await expect(createOpenAiBackend({ url, model: 'm', timeoutMs: 60_000 }).complete(request)).rejects.toMatchObject({ code: 'MODEL_BAD_REPLY' });
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);
});
