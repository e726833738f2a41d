import type { FastifyPluginAsync } from 'fastify';
import { StewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { isAdmin } from '../http/access.ts';
import { parseOrThrow } from '../http/errors.ts';
import { frame, resumePoint, type EventBus } from './bus.ts';
import { EventStreamSchema, EventsQuerySchema } from './schema.ts';

export const EVENTS_ROUTE_DOC: RouteDoc = {
  method: 'get',
  path: '/api/events',
  summary:
    'Live events (text/event-stream), each with id <bootId>:<seq>: snapshot first (devices, nodes, pending confirmations and adoptions), then device, node, confirmation, adoption, command (commands only for the token or a session). Last-Event-ID (or ?lastEventId=) of this boot replays what was missed, otherwise a fresh snapshot; a comment heartbeat every 15 s; 503 when too many clients',
  query: EventsQuerySchema,
  response: EventStreamSchema,
  answer: 'event-stream',
  errors: [400, 503],
  auth: 'remote',
};

/** GET /api/events: the bus's stream for one client, after its snapshot or the events it missed. */
export const eventRoutes: FastifyPluginAsync<{ bus: EventBus; snapshot: () => unknown; retryMs: number }> = async (app, { bus, snapshot, retryMs }) => {
  app.get('/events', async (request, reply) => {
    const q = parseOrThrow(EventsQuerySchema, request.query, 'query');
    // a stream opened while the hub stops would hold the HTTP server open until the client goes
    if (bus.closed) throw new StewardError('UNAVAILABLE', 'the hub is stopping; reconnect in a moment');
    if (bus.full) throw new StewardError('UNAVAILABLE', 'too many event streams are open; close one (another tab) and retry');
    const header = request.headers['last-event-id'];
    const after = resumePoint(bus.bootId, (Array.isArray(header) ? header[0] : header) ?? q.lastEventId);
    // only the owner (token or session) hears what people said
    const admin = isAdmin(request.raw);
    const missed = after === undefined ? undefined : bus.replay(after, admin);

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // a reverse proxy must pass events on as they come
      'x-accel-buffering': 'no',
    });
    // HEAD (fastify routes it here): the headers are the whole answer; a stream would never end (found by npm run fuzz)
    if (request.method === 'HEAD') {
      res.end();
      return;
    }
    res.socket?.setNoDelay(true);
    // the socket stays open: no idle timeout of the listener cuts it (the heartbeat shows it alive)
    res.socket?.setTimeout(0);
    const client = { res, admin };
    // what the client missed, or everything as of now; then live events. Synchronous up to attach: nothing published in between
    const start = missed ? missed.join('') : frame('snapshot', bus.lastId, snapshot());
    bus.attach(client);
    // written whole whatever its size (a large home's snapshot); the slow-client limit applies to what follows
    res.write(`retry: ${retryMs}\n\n${start}`);
  });
};
