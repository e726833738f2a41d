import type { FastifyPluginAsync } from 'fastify';
import { StewardError } from '@steward/device-adapters';
import type { ApiDeps } from '../deps.ts';
import { HTTP_STATUS, parseOrThrow, sendError } from '../errors.ts';
import { DeviceEditSchema, DirectCommandSchema } from '../schemas.ts';
import { deviceInfo } from '../views.ts';
import { confirmationRef } from '../../conversation/confirmations.ts';

type Params = { Params: { id: string } };

/** Devices: list, one, rename or move, and direct control without language. */
export const deviceRoutes: FastifyPluginAsync<Pick<ApiDeps, 'registry' | 'gateway' | 'pipeline'>> = async (app, { registry, gateway, pipeline }) => {
  const find = (id: string) => {
    const device = registry.device(id);
    if (!device) throw new StewardError('UNKNOWN_DEVICE', `no device ${id}`);
    return device;
  };

  app.get('/devices', async () => ({ devices: registry.devices().map((d) => deviceInfo(registry, d)) }));

  app.get<Params>('/devices/:id', async (request) => deviceInfo(registry, find(request.params.id)));

  app.patch<Params>('/devices/:id', async (request) => {
    find(request.params.id);
    const edit = parseOrThrow(DeviceEditSchema, request.body);
    return deviceInfo(registry, registry.editDevice(request.params.id, edit));
  });

  app.post<Params>('/devices/:id/commands', async (request, reply) => {
    const device = find(request.params.id);
    const { command, params } = parseOrThrow(DirectCommandSchema, request.body);
    const action = { deviceId: device.id, command, params };
    // the device model refuses what the device cannot take before anything is sent
    gateway.check(action);
    // the same rule as a sentence: a change the device's `confirm` lists waits for the owner's yes (the admin token
    // proves who asked, not that they meant it)
    const { results, confirmation } = await pipeline.act([action], { source: 'api' });
    if (confirmation) return reply.code(202).send({ status: 'awaiting_confirmation', ...confirmationRef(confirmation) });
    const result = results[0]!;
    if (!result.ok && result.error) return sendError(reply, result.error.code, result.error.message, HTTP_STATUS[result.error.code]);
    return result;
  });
};
