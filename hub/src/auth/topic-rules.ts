/**
 * Who may publish and subscribe where: pure functions over topic strings, so the whole matrix is testable
 * without a broker. Every rule answers with the reason for a refusal, or undefined when allowed.
 */
import { HOMIE_ROOT, RPC_ROOT, parseTopic } from '@steward/device-adapters';
import type { Role } from './credential-store.ts';

export interface Principal {
  username: string;
  role: Role;
  /** role node: the node it speaks for */
  nodeId: string | null;
  /** the credentials' generation at authentication; a revoked or replaced one loses every right */
  generation: number;
}

/** may a controller set this property? (false for properties that need the owner's confirmation) */
export type ControllerSetPolicy = (target: { nodeId: string; deviceId: string; field: string }) => boolean;

const [HOMIE, HOMIE_V] = HOMIE_ROOT.split('/') as [string, string];
const [STEWARD, RPC_V] = RPC_ROOT.split('/') as [string, string];

/** node clients must use the agent's default client id: no one can take over another node's (or the hub's) session */
export const nodeClientId = (nodeId: string) => `steward-agent-${nodeId}`;
export const HUB_CLIENT_PREFIX = 'steward-hub-';

export function clientIdProblem(p: Principal, clientId: string): string | undefined {
  switch (p.role) {
    case 'node':
      return clientId === nodeClientId(p.nodeId!) ? undefined : `a node's client id must be ${nodeClientId(p.nodeId!)}`;
    case 'hub':
      return clientId.startsWith(HUB_CLIENT_PREFIX) ? undefined : `the hub's client id starts with ${HUB_CLIENT_PREFIX}`;
    default:
      return clientId.startsWith('steward-') ? 'client ids starting with steward- are reserved for agents and the hub' : undefined;
  }
}

function ownHomie(levels: string[], nodeId: string): boolean {
  return levels.length >= 4 && levels[0] === HOMIE && levels[1] === HOMIE_V && levels[2] === nodeId;
}

function ownRpc(levels: string[], nodeId: string, end: 'req' | 'res', allowPlus: boolean): boolean {
  return (
    levels.length === 6 &&
    levels[0] === STEWARD &&
    levels[1] === RPC_V &&
    levels[2] === nodeId &&
    levels[3] === 'rpc' &&
    levels[4] !== '' &&
    levels[4] !== '#' &&
    (allowPlus || levels[4] !== '+') &&
    levels[5] === end
  );
}

/** `steward/1/<node>/discovery`: the node's retained report of devices its discovery modules found */
function ownDiscovery(levels: string[], nodeId: string): boolean {
  return levels.length === 4 && levels[0] === STEWARD && levels[1] === RPC_V && levels[2] === nodeId && levels[3] === 'discovery';
}

/** `steward/1/<node>/voice/req` (utterance chunks in) or `/voice/res` (the hub's spoken reply out): that node's alone */
function ownVoice(levels: string[], nodeId: string, end: 'req' | 'res'): boolean {
  return levels.length === 5 && levels[0] === STEWARD && levels[1] === RPC_V && levels[2] === nodeId && levels[3] === 'voice' && levels[4] === end;
}

export function mayPublish(p: Principal, topic: string, retain: boolean, policy: ControllerSetPolicy): string | undefined {
  const levels = topic.split('/');
  if (topic.startsWith('$') && p.role !== 'admin') return 'only the admin may publish to $ topics';
  switch (p.role) {
    case 'admin':
    case 'hub':
      return undefined;
    case 'node': {
      const id = p.nodeId!;
      if (ownHomie(levels, id) || ownRpc(levels, id, 'res', false) || ownDiscovery(levels, id) || ownVoice(levels, id, 'req')) return undefined;
      return `node ${id} may publish only under ${HOMIE_ROOT}/${id}/, to its own RPC responses, its ${RPC_ROOT}/${id}/discovery report and its ${RPC_ROOT}/${id}/voice/req utterances`;
    }
    case 'controller': {
      const t = parseTopic(topic);
      if (t.kind !== 'set') return 'a controller may publish only to /set of a property';
      if (retain) return 'a /set must not be retained';
      return policy({ nodeId: t.nodeId, deviceId: t.deviceId, field: t.field })
        ? undefined
        : `${t.deviceId}.${t.field} needs the owner's confirmation (or does not exist): not settable by a controller`;
    }
  }
}

export function maySubscribe(p: Principal, filter: string): string | undefined {
  const levels = filter.split('/');
  if (filter.startsWith('$') && p.role !== 'admin') return 'only the admin may subscribe to $ topics';
  switch (p.role) {
    case 'admin':
    case 'hub':
      return undefined;
    case 'node': {
      const id = p.nodeId!;
      // its own Homie tree (its /set commands) and its own RPC requests, nothing of any other node
      if (ownHomie(levels, id) || ownRpc(levels, id, 'req', true) || ownVoice(levels, id, 'res')) return undefined;
      return `node ${id} may subscribe only to ${HOMIE_ROOT}/${id}/…, ${RPC_ROOT}/${id}/rpc/+/req and ${RPC_ROOT}/${id}/voice/res`;
    }
    case 'controller':
      // reads every node's Homie tree; RPC traffic (the hub's commands and the nodes' replies) stays private
      if (levels.length >= 3 && levels[0] === HOMIE && levels[1] === HOMIE_V) return undefined;
      return `a controller may subscribe only under ${HOMIE_ROOT}/`;
  }
}
