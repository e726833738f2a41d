import { deviceIdToHomie, fieldToHomie, homieToDeviceId, homieToField } from '../ids.ts';

/** Homie v5 root (Homie 5: "homie/5/<device-id>/..."). A Steward node agent is a Homie device; a Steward device is a Homie node. */
export const HOMIE_ROOT = 'homie/5';
/** Request/response channel for commands that need a result (like Zigbee2MQTT's bridge/request). */
export const RPC_ROOT = 'steward/1';

export const RPC_METHODS = ['command', 'snapshot', 'describe', 'reset', 'adopt', 'forget', 'commission'] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

export const topics = {
  state: (nodeId: string) => `${HOMIE_ROOT}/${nodeId}/$state`,
  description: (nodeId: string) => `${HOMIE_ROOT}/${nodeId}/$description`,
  property: (nodeId: string, deviceId: string, field: string) => `${HOMIE_ROOT}/${nodeId}/${deviceIdToHomie(deviceId)}/${fieldToHomie(field)}`,
  set: (nodeId: string, deviceId: string, field: string) => `${topics.property(nodeId, deviceId, field)}/set`,
  target: (nodeId: string, deviceId: string, field: string) => `${topics.property(nodeId, deviceId, field)}/$target`,
  rpcRequest: (nodeId: string, method: RpcMethod) => `${RPC_ROOT}/${nodeId}/rpc/${method}/req`,
  rpcResponse: (nodeId: string, method: RpcMethod) => `${RPC_ROOT}/${nodeId}/rpc/${method}/res`,
  /** retained: what the node's discovery modules found (protocol/discovery.ts) */
  discovery: (nodeId: string) => `${RPC_ROOT}/${nodeId}/discovery`,
  /** everything a node agent subscribes to: its RPC requests and its properties' /set */
  agentSubscriptions: (nodeId: string) => [`${RPC_ROOT}/${nodeId}/rpc/+/req`, `${HOMIE_ROOT}/${nodeId}/+/+/set`],
};

export type ParsedTopic =
  | { kind: 'state'; nodeId: string }
  | { kind: 'description'; nodeId: string }
  | { kind: 'property'; nodeId: string; deviceId: string; field: string }
  | { kind: 'set'; nodeId: string; deviceId: string; field: string }
  | { kind: 'target'; nodeId: string; deviceId: string; field: string }
  | { kind: 'rpcRequest'; nodeId: string; method: string }
  | { kind: 'rpcResponse'; nodeId: string; method: string }
  | { kind: 'discovery'; nodeId: string }
  | { kind: 'other' };

/** Parses any Homie 5 or Steward RPC topic; anything else is `other`. */
export function parseTopic(topic: string): ParsedTopic {
  const p = topic.split('/');
  if (p[0] === 'homie' && p[1] === '5' && p[2]) {
    const nodeId = p[2];
    if (p.length === 4 && p[3] === '$state') return { kind: 'state', nodeId };
    if (p.length === 4 && p[3] === '$description') return { kind: 'description', nodeId };
    if (p.length >= 5 && p[3] && p[4] && !p[3].startsWith('$') && !p[4].startsWith('$')) {
      const deviceId = homieToDeviceId(p[3]);
      const field = homieToField(p[4]);
      if (p.length === 5) return { kind: 'property', nodeId, deviceId, field };
      if (p.length === 6 && p[5] === 'set') return { kind: 'set', nodeId, deviceId, field };
      if (p.length === 6 && p[5] === '$target') return { kind: 'target', nodeId, deviceId, field };
    }
  }
  if (p[0] === 'steward' && p[1] === '1' && p[2] && p[3] === 'discovery' && p.length === 4) return { kind: 'discovery', nodeId: p[2] };
  if (p[0] === 'steward' && p[1] === '1' && p[2] && p[3] === 'rpc' && p[4] && p.length === 6) {
    if (p[5] === 'req') return { kind: 'rpcRequest', nodeId: p[2], method: p[4] };
    if (p[5] === 'res') return { kind: 'rpcResponse', nodeId: p[2], method: p[4] };
  }
  return { kind: 'other' };
}
