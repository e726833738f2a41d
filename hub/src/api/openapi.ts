import { ActionResultSchema } from '../core/actions.ts';
import type { RouteDoc } from '../core/feature.ts';
import { CommandTextRequestSchema, CommandTextResponseSchema } from '../conversation/contract.ts';
import { AwaitingConfirmationSchema, ConfirmationListSchema, ConfirmationStatusSchema, DecisionSchema, SettledSchema } from '../conversation/confirmations.ts';
import { ScheduleListSchema } from './routes/schedules.ts';
import { DeviceEditSchema, DeviceInfoSchema, DeviceListSchema, DirectCommandSchema, HealthSchema, NodeListSchema } from './schemas.ts';

/** The API feature's own routes, described from the zod schemas they parse and answer with. */
export const API_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/command',
    summary:
      'Say something: the reply and every action with the state the node acknowledged; `path` says whether the rules or the planner answered. With Accept: text/event-stream, server-sent events step, tool_call, tool_result, then reply',
    body: CommandTextRequestSchema,
    response: CommandTextResponseSchema,
    errors: [400, 413],
    auth: 'always',
  },
  { method: 'get', path: '/api/devices', summary: 'Every device with its state and whether its node is online', response: DeviceListSchema, errors: [], auth: 'remote' },
  { method: 'get', path: '/api/devices/{id}', summary: 'One device', response: DeviceInfoSchema, errors: [404], auth: 'remote' },
  {
    method: 'patch',
    path: '/api/devices/{id}',
    summary: 'Rename (per language) or move a device to another area',
    body: DeviceEditSchema,
    response: DeviceInfoSchema,
    errors: [400, 404],
    auth: 'always',
  },
  {
    method: 'post',
    path: '/api/devices/{id}/commands',
    summary: "Direct control without language: completes when the node acknowledges; a change the device's confirm rules list answers 202 and waits",
    body: DirectCommandSchema,
    response: ActionResultSchema,
    accepted: AwaitingConfirmationSchema,
    errors: [400, 404, 409, 502, 503, 504],
    auth: 'always',
  },
  { method: 'get', path: '/api/confirmations', summary: 'Pending confirmations from every path (sentence, scene, api, planner)', response: ConfirmationListSchema, errors: [], auth: 'remote' },
  {
    method: 'get',
    path: '/api/confirmations/{id}',
    summary: 'One confirmation, pending or settled, with what its yes did (a yes cut short by a crash: settled at the next start, recovered)',
    response: ConfirmationStatusSchema,
    errors: [404],
    auth: 'remote',
  },
  {
    method: 'post',
    path: '/api/confirmations/{id}',
    summary: 'Settle a pending confirmation: confirm runs it (the acknowledged results), cancel drops it; 404 unknown, 410 expired, 409 already settled',
    body: DecisionSchema,
    response: SettledSchema,
    errors: [400, 404, 409, 410],
    auth: 'always',
  },
  { method: 'get', path: '/api/nodes', summary: 'Every node agent: id, name, online, paired', response: NodeListSchema, errors: [], auth: 'remote' },
  { method: 'get', path: '/api/health', summary: 'The hub answers; nodes online; MQTT messages accepted and dropped', response: HealthSchema, errors: [], auth: 'remote' },
  {
    method: 'get',
    path: '/api/schedules',
    summary: 'Scheduled commands (?limit=): pending first, then finished ones as done, failed, missed or cancelled',
    response: ScheduleListSchema,
    errors: [400],
    auth: 'remote',
  },
];

export { buildOpenApi } from '../http/openapi.ts';
