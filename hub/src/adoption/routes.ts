import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { NODE_ID, StewardError } from '@steward/device-adapters';
import type { RouteDoc } from '../core/feature.ts';
import { parseOrThrow, stewardErrorHandler } from '../http/errors.ts';
import type { Registry } from '../registry/registry.ts';
import { DeviceInfoSchema } from '../api/schemas.ts';
import { deviceInfo } from '../api/views.ts';
import { ADOPTION_ID, AdoptBodySchema, AdoptionListSchema, CommissionBodySchema, CommissionResultSchema } from './schemas.ts';
import type { AdoptionService } from './service.ts';

export const ADOPTION_ROUTE_DOCS: RouteDoc[] = [
  { method: 'get', path: '/api/adoptions', summary: 'Devices nodes found after pairing, waiting for the owner to adopt or ignore them', response: AdoptionListSchema, errors: [], auth: 'remote' },
  {
    method: 'post',
    path: '/api/adoptions/{id}',
    summary: "Adopt a found device with a name and an area (an area's id or name): 201 with the device as GET /api/devices lists it; its type's confirm rules apply",
    body: AdoptBodySchema,
    response: z.object({ device: DeviceInfoSchema }),
    status: 201,
    errors: [400, 404, 409, 502, 503, 504],
    auth: 'always',
  },
  { method: 'delete', path: '/api/adoptions/{id}', summary: 'Ignore a found device: 204; not listed again unless found anew', response: z.null(), answer: 'no-content', errors: [404, 409], auth: 'always' },
  {
    method: 'post',
    path: '/api/nodes/{id}/commission',
    summary: "Ask a node's discovery to commission a device from its setup code (11/21-digit manual code or MT: payload): 202 with what it found",
    body: CommissionBodySchema,
    response: CommissionResultSchema,
    status: 202,
    errors: [400, 404, 422, 503, 504],
    auth: 'always',
  },
];

type Params = { Params: { id: string } };

/** The owner's adoption endpoints under `/api`, behind the admin token like every mutating route. */
export const adoptionRoutes: FastifyPluginAsync<{ service: AdoptionService; registry: Registry }> = async (app, { service, registry }) => {
  app.setErrorHandler((error: FastifyError, request, reply) => stewardErrorHandler(error, reply, request.log));
  const adoptionId = (id: string) => {
    if (!ADOPTION_ID.test(id)) throw new StewardError('NOT_FOUND', `no adoption ${id.slice(0, 64)} (ids are 12 hex digits; GET /api/adoptions lists them)`);
    return id;
  };

  app.get('/adoptions', async () => ({ adoptions: service.pending() }));

  app.post<Params>('/adoptions/:id', async (request, reply) => {
    const id = adoptionId(request.params.id);
    const body = parseOrThrow(AdoptBodySchema, request.body);
    const device = await service.adopt(id, body);
    return reply.code(201).send({ device: deviceInfo(registry, device) });
  });

  app.delete<Params>('/adoptions/:id', async (request, reply) => {
    service.ignore(adoptionId(request.params.id));
    return reply.code(204).send();
  });

  app.post<Params>('/nodes/:id/commission', async (request, reply) => {
    if (!NODE_ID.test(request.params.id)) throw new StewardError('BAD_REQUEST', `not a node id: ${request.params.id.slice(0, 64)}`);
    const body = parseOrThrow(CommissionBodySchema, request.body);
    const found = await service.commission(request.params.id, body.setupCode, body.ecosystem);
    return reply.code(202).send({ found });
  });
};
