import type { FastifyPluginAsync } from 'fastify';
import { StewardError } from '@steward/device-adapters';
import type { ApiDeps } from '../deps.ts';
import { HTTP_STATUS, parseOrThrow, sendError } from '../errors.ts';
import { DeviceEditSchema, DirectCommandSchema } from '../schemas.ts';
import { deviceInfo } from '../views.ts';
import { splitByConfirmation } from '../../conversation/confirmation.ts';

type Params = { Params: { id: string } };

/** Devices: list, one, rename or move, and direct control without language. */
export const deviceRoutes: FastifyPluginAsync<Pick<ApiDeps, 'registry' | 'gateway' | 'onSensitiveCommand'>> = async (app, { registry, gateway, onSensitiveCommand }) => {
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
    // the admin token stands in for the conversation's confirmation; the change is audited like a confirmed one
    const sensitive = onSensitiveCommand !== undefined && splitByConfirmation([action], registry, (id) => registry.state(id)).hold.length > 0;
    const result = await gateway.execute(action);
    if (sensitive) onSensitiveCommand(result, { source: request.ip });
    if (!result.ok && result.error) return sendError(reply, result.error.code, result.error.message, HTTP_STATUS[result.error.code]);
    return result;
  });
};
