import {
  LIMITS,
  RPC_RESPONSE_SCHEMAS,
  RPC_ROOT,
  StewardError,
  toErrorBody,
  type DeviceState,
  type NodeDescription,
  type RpcMethod,
} from '@steward/device-adapters';
import type { Logger } from './logger.ts';
import type { NodeDevices } from './node-devices.ts';
import { ReplyCache } from './reply-cache.ts';
import type { ConfirmGuard } from './confirm-guard.ts';
import { decodeRequest, type RpcRequest } from './rpc-decode.ts';
import type { DiscoveryHost } from './discovery-host.ts';
import type { AgentRejections } from './rejections.ts';

/** refusals of the request itself, not failures of the device: counted as `rpc-refused` rejections */
const REFUSED_CODES = new Set(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'UNKNOWN_DEVICE', 'UNKNOWN_COMMAND', 'UNSUPPORTED_COMMAND', 'OUT_OF_RANGE', 'INVALID_VALUE', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN']);

type Reply = Record<string, unknown> & { id: string; ok: boolean };
export type SendReply = (topic: string, payload: string) => Promise<void>;

export interface NodeInfo {
  nodeId: string;
  name: string;
  kind: string;
}

/**
 * The request/response channel: `steward/1/<node>/rpc/<method>/req` in, `.../res` out. Every request that carries
 * an id gets exactly one reply, success or `{code, message}`; a request without a usable id can only be logged.
 */
export class RpcServer {
  private readonly replies = new ReplyCache<Reply>(LIMITS.dedupeWindow);

  constructor(
    private readonly node: NodeInfo,
    private readonly devices: NodeDevices,
    private readonly send: SendReply,
    private readonly log: Logger,
    private readonly guard?: ConfirmGuard,
    /** devices found after pairing: adopt, forget, commission (none: those methods are refused) */
    private readonly discovery?: DiscoveryHost,
    /** counts and rate-limits the log of refused requests (without it each is logged) */
    private readonly rejections?: AgentRejections,
  ) {}

  async handle(method: string, payload: Buffer): Promise<void> {
    const decoded = decodeRequest(method, payload);
    if (!decoded.ok) {
      const { id, error } = decoded;
      const source = `rpc ${method}`;
      if (id === undefined) {
        const why = `dropped an RPC request without a usable id: ${error.message}`;
        if (this.rejections) this.rejections.reject('rpc-request', source, why, { method, bytes: payload.length, code: error.code });
        else this.log.warn({ method, bytes: payload.length, code: error.code }, why);
        return;
      }
      if (this.rejections) this.rejections.reject('rpc-request', source, error.message, { method, commandId: id, code: error.code });
      else this.log.warn({ method, commandId: id, code: error.code }, error.message);
      return this.publish(method, { id, ok: false, error: error.toJSON() });
    }
    const { request } = decoded;
    const key = `${request.method}:${request.body.id}`;
    const earlier = this.replies.get(key);
    if (earlier) {
      this.log.info({ method, commandId: request.body.id }, 'repeated transaction id: answering from memory');
      return this.publish(method, await earlier);
    }
    const reply = this.run(request);
    this.replies.set(key, reply);
    return this.publish(method, await reply);
  }

  private async run(request: RpcRequest): Promise<Reply> {
    const id = request.body.id;
    try {
      return { id, ok: true, ...(await this.dispatch(request)) };
    } catch (e) {
      const error = toErrorBody(e);
      if (this.rejections && REFUSED_CODES.has(error.code)) this.rejections.reject('rpc-refused', `rpc ${request.method}`, error.message, { method: request.method, commandId: id, code: error.code });
      else this.log.info({ method: request.method, commandId: id, code: error.code }, `refused: ${error.message}`);
      return { id, ok: false, error };
    }
  }

  private async dispatch(request: RpcRequest): Promise<Record<string, unknown>> {
    switch (request.method) {
      case 'command': {
        const { deviceId, command, params, auth } = request.body;
        const guard = this.guard;
        await this.devices.execute(deviceId, command, params, guard && ((d) => guard.checkRpc(d, { id: request.body.id, deviceId, command, params, auth })));
        this.log.info({ deviceId, commandId: request.body.id, command }, 'command executed');
        return { deviceId, ...this.devices.stateOf(deviceId) };
      }
      case 'snapshot':
        return { devices: this.states(this.devices.all().map((d) => d.descriptor.id)) };
      case 'describe':
        return { node: this.describe() };
      case 'reset': {
        const ids = request.body.deviceId ? [request.body.deviceId] : this.devices.all().map((d) => d.descriptor.id);
        const drivers = ids.map((deviceId) => this.devices.get(deviceId));
        // all or nothing: a real device among them refuses before any simulated one is touched
        const real = drivers.find((d) => !d.simulated);
        if (real) throw new StewardError('NOT_SIMULATED', `${real.descriptor.id} is a real device and cannot be reset`);
        await Promise.all(ids.map((deviceId) => this.devices.reset(deviceId)));
        return { devices: this.states(ids) };
      }
      case 'adopt': {
        const host = this.signed(request.method, request.body);
        const { ecosystem, key, deviceId, names } = request.body;
        const driver = await host.adopt({ ecosystem, key, deviceId, names });
        return { device: { ...driver.descriptor, simulated: driver.simulated }, ...this.devices.stateOf(deviceId) };
      }
      case 'forget': {
        await this.signed(request.method, request.body).forget(request.body.deviceId);
        return { deviceId: request.body.deviceId };
      }
      case 'commission': {
        const host = this.signed(request.method, request.body);
        return { found: await host.commission(request.body.setupCode, request.body.ecosystem) };
      }
    }
  }

  /** the discovery host, once the hub's proof for this request holds */
  private signed(method: 'adopt' | 'forget' | 'commission', body: Record<string, unknown> & { id: string }): DiscoveryHost {
    if (!this.discovery) throw new StewardError('BAD_REQUEST', `node ${this.node.nodeId} runs no discovery module: nothing to ${method}`);
    if (!this.guard) throw new StewardError('FORBIDDEN', `${method} needs the hub's signature, and this node checks none`);
    this.guard.checkSigned(method, body);
    return this.discovery;
  }

  private states(ids: readonly string[]): Record<string, DeviceState> {
    return Object.fromEntries(ids.map((deviceId) => [deviceId, this.devices.stateOf(deviceId)]));
  }

  private describe(): NodeDescription {
    return {
      ...this.node,
      devices: this.devices.all().map((d) => ({ ...d.descriptor, simulated: d.simulated })),
    };
  }

  /** Replies are checked against the shared schema too: the hub must never receive what it cannot parse. */
  private async publish(method: string, reply: Reply): Promise<void> {
    let out: Reply = reply;
    const schema = RPC_RESPONSE_SCHEMAS[method as RpcMethod];
    if (schema) {
      const r = schema.safeParse(reply);
      if (!r.success) {
        this.log.error({ method, commandId: reply.id, issues: r.error.issues }, 'reply failed its schema');
        out = { id: reply.id, ok: false, error: { code: 'INTERNAL', message: 'the agent produced an invalid reply' } };
      }
    }
    const text = JSON.stringify(out);
    if (Buffer.byteLength(text) > LIMITS.rpcPayloadBytes) {
      this.log.error({ method, commandId: reply.id, bytes: Buffer.byteLength(text) }, 'reply larger than the RPC limit');
      out = { id: reply.id, ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: 'the reply would exceed the RPC size limit' } };
    }
    await this.send(`${RPC_ROOT}/${this.node.nodeId}/rpc/${method}/res`, out === reply ? text : JSON.stringify(out));
  }
}
