/**
 * The OpenAPI document (`GET /api/schema`) of a real hub says which success status each route answers: 201, 202
 * and 204 where the route sends them (adoption, commissioning, sign-in), not a 200 it never sends; and the routes do
 * answer what they document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADOPTION_HOME } from './helpers/adoption-node.ts';
import { writeHomeFile } from './helpers/hub-home.ts';
import { startTestHub, type TestHub } from './helpers/hub-start.ts';

let t: TestHub;
type Op = { responses: Record<string, { description: string; content?: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> }> };
let paths: Record<string, Record<string, Op>>;

beforeAll(async () => {
  t = await startTestHub({ homeFile: writeHomeFile(ADOPTION_HOME) });
  const r = await t.anon.get('/api/schema');
  expect(r.status).toBe(200);
  paths = r.body.paths;
}, 30_000);

afterAll(async () => {
  await t?.stop();
});

/** the 2xx statuses a route documents */
const success = (path: string, method: string) =>
  Object.keys(paths[path]![method]!.responses)
    .filter((s) => s.startsWith('2'))
    .sort();

describe('documented success statuses', () => {
  it('the adoption routes: 200 list, 201 adopted, 204 ignored, 202 commissioned', () => {
    expect(success('/api/adoptions', 'get')).toEqual(['200']);
    expect(success('/api/adoptions/{id}', 'post')).toEqual(['201']);
    expect(success('/api/adoptions/{id}', 'delete')).toEqual(['204']);
    expect(success('/api/nodes/{id}/commission', 'post')).toEqual(['202']);

    const adopted = paths['/api/adoptions/{id}']!.post!.responses['201']!;
    expect(adopted.description).toBe('Created');
    expect(adopted.content!['application/json']!.schema.required).toEqual(['device']);
    // 204 has no body to describe
    expect(paths['/api/adoptions/{id}']!.delete!.responses['204']).toEqual({ description: 'Done' });
    const commissioned = paths['/api/nodes/{id}/commission']!.post!.responses['202']!;
    expect(commissioned.description).toBe('Accepted');
    expect(commissioned.content!['application/json']!.schema.required).toEqual(['found']);
    expect(Object.keys(paths['/api/nodes/{id}/commission']!.post!.responses).sort()).toEqual(['202', '400', '401', '404', '422', '503', '504']);
  });

  it('the other routes that answer 202 or 204 keep saying so; plain JSON routes say 200', () => {
    expect(success('/api/devices/{id}/commands', 'post')).toEqual(['200', '202']);
    expect(success('/api/session', 'post')).toEqual(['204']);
    expect(success('/api/session', 'delete')).toEqual(['204']);
    for (const [path, method] of [
      ['/api/devices', 'get'],
      ['/api/command', 'post'],
      ['/api/confirmations/{id}', 'post'],
    ] as const) {
      expect(success(path, method), `${method} ${path}`).toEqual(['200']);
    }
  });

  it('the routes answer the statuses they document', async () => {
    // a well-formed id nobody has: the documented 404, with the error envelope
    const missing = await t.api.delete('/api/adoptions/0123456789ab');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(Object.keys(paths['/api/adoptions/{id}']!.delete!.responses)).toContain('404');
    const offline = await t.api.post('/api/nodes/disco-gw/commission', { setupCode: '34970112332' });
    expect([offline.status, offline.body.error.code]).toEqual([503, 'NODE_OFFLINE']);
  });
});
