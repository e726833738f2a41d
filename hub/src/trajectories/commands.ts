/**
 * Recent commands for the dashboard (`GET /api/commands`, and the `command` event of `/api/events`): the trajectories
 * table seen as commands, not a second copy of it. Every request either path answered is one command: what was said,
 * where it came from, the reply, the tool calls it made (the rule path's actions are recorded as the planner's tool
 * calls, `rule-path.ts`) and their results. Retention is the trajectories' (`--trajectories-max-count`, `-max-age-days`).
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow } from '../http/errors.ts';
import { SCENE_TOOL } from '../planner/tools.ts';
import type { Trajectory } from './schema.ts';
import type { TrajectoryStore } from './store.ts';

/**
 * `api`: typed text (POST /api/command, the dashboard) answered by the rules; `voice`: a transcript (POST /api/voice);
 * `planner`: answered by the LLM planner; `scene`: the rules ran a scene
 */
export const CommandSourceSchema = z.enum(['api', 'voice', 'planner', 'scene']);

export const CommandSchema = z.object({
  /** the trajectory's id (GET /api/trajectories has its every step) */
  id: z.string(),
  /** ISO 8601, when the request arrived */
  at: z.string(),
  text: z.string(),
  source: CommandSourceSchema,
  lang: z.string(),
  reply: z.string(),
  /** understood, and every action acknowledged */
  ok: z.boolean(),
  /** the calls made, in order: device commands as `{name: "set_brightness", arguments: {device_ids, brightness}}`, `run_scene`, `schedule` */
  actions: z.array(z.object({ name: z.string(), arguments: z.unknown() })),
  /** each call's result, in the same order: a device's acknowledged state or its error */
  results: z.array(z.object({ name: z.string(), ok: z.boolean(), result: z.unknown() })),
});
export type CommandView = z.infer<typeof CommandSchema>;
export const CommandListSchema = z.object({ commands: z.array(CommandSchema) });
export const CommandQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

/** the `command` event: the command without its calls */
export const CommandEventSchema = CommandSchema.pick({ id: true, text: true, reply: true, source: true, at: true, lang: true, ok: true });

export function commandOf(t: Trajectory): CommandView {
  const calls = t.steps.flatMap((s) => (s.kind === 'tool_call' ? [s] : []));
  const source = t.source === 'voice' ? 'voice' : t.path === 'planner' ? 'planner' : calls.some((c) => c.name === SCENE_TOOL) ? 'scene' : 'api';
  return {
    id: t.id,
    at: t.startedAt,
    text: t.text,
    source,
    lang: t.lang,
    reply: t.reply,
    ok: t.ok,
    actions: calls.map((c) => ({ name: c.name, arguments: c.arguments })),
    results: calls.map((c) => ({ name: c.name, ok: c.ok, result: c.result })),
  };
}

export const COMMANDS_ROUTE_DOC: RouteDoc = {
  method: 'get',
  path: '/api/commands',
  summary: 'Recent commands, newest first (?limit=1..500, default 50): text, source (api, voice, planner, scene), reply, the calls made and their results',
  query: CommandQuerySchema,
  response: CommandListSchema,
  errors: [400],
  auth: 'always',
};

/** GET /api/commands: what people said is private, so the token (or a session) always, as for trajectories. */
export const commandRoutes: FastifyPluginAsync<{ store: Pick<TrajectoryStore, 'list'> }> = async (app, { store }) => {
  app.get('/commands', async (request) => {
    const q = parseOrThrow(CommandQuerySchema, request.query, 'query');
    return CommandListSchema.parse({ commands: store.list({ limit: q.limit }).map(commandOf) });
  });
};
