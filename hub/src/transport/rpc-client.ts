import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Logger } from 'pino';
import {
  LIMITS,
  RPC_REQUEST_SCHEMAS,
  RPC_RESPONSE_SCHEMAS,
  RPC_ROOT,
  StewardError,
  isSignedRpcMethod,
  parseTopic,
  signCommand,
  signedFieldsOf,
  topics,
  type RpcMethod,
} from '@steward/device-adapters';
import { systemClock, type Clock } from '../core/clock.ts';
import type { Rejections } from '../core/rejections.ts';
import type { InboundMessage, MqttConnection } from './mqtt-connection.ts';

export type RpcRequestBody<M extends RpcMethod> = Omit<z.input<(typeof RPC_REQUEST_SCHEMAS)[M]>, 'id'>;
export type RpcSuccess<M extends RpcMethod> = Extract<z.infer<(typeof RPC_RESPONSE_SCHEMAS)[M]>, { ok: true }>;

export interface RpcClientOptions {
  timeoutMs: number;
  /** a node known to be offline fails at once instead of waiting for the timeout */
  isOnline: (nodeId: string) => boolean;
  logger: Logger;
  /** the node's RPC secret: `command` requests are signed with it, so the node can run confirm-listed changes */
  rpcSecret?: (nodeId: string) => string | undefined;
  /** the hub's clock: RPC timeouts run on it (tests drive it) */
  clock?: Clock;
  /** counts and rate-limits the log of bad responses (without it each is logged) */
  rejections?: Rejections;
}

interface Pending {
  nodeId: string;
  method: RpcMethod;
  what: string;
  resolve: (value: unknown) => void;
  reject: (err: StewardError) => void;
  timer: unknown;
}

/**
 * Request/response over MQTT: publishes to `steward/1/<node>/rpc/<method>/req` with a fresh transaction id and
 * resolves on the `/res` that echoes it, validated by the protocol's schema. A node's refusal rejects with the node's
 * own `{code, message}`; silence rejects with TIMEOUT naming the device and node.
 */
export class RpcClient {
  private readonly pending = new Map<string, Pending>();
  private readonly log: Logger;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly conn: MqttConnection,
    private readonly opts: RpcClientOptions,
  ) {
    this.log = opts.logger.child({ component: 'rpc' });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.conn.messages.on((m) => this.onMessage(m));
    await this.conn.subscribe([`${RPC_ROOT}/+/rpc/+/res`]);
  }

  /**
   * Calls `method` on a node. `what` names the subject for error messages ("living_room_light").
   * Throws StewardError: NODE_OFFLINE, TIMEOUT, or the node's error code.
   */
  async call<M extends RpcMethod>(
    nodeId: string,
    method: M,
    body: RpcRequestBody<M>,
    what: string = nodeId,
    /** a call that takes longer than a command (commissioning a device) */
    opts: { timeoutMs?: number } = {},
  ): Promise<RpcSuccess<M>> {
    if (!this.opts.isOnline(nodeId)) {
      throw new StewardError('NODE_OFFLINE', `${what} is unreachable: its node ${nodeId} is offline`, { nodeId });
    }
    const id = randomUUID();
    const request: Record<string, unknown> = RPC_REQUEST_SCHEMAS[method].parse({ ...body, id });
    // commands, adoptions, removals and commissioning are signed: the node runs them only when the hub sent them
    const secret = isSignedRpcMethod(method) ? this.opts.rpcSecret?.(nodeId) : undefined;
    if (secret && isSignedRpcMethod(method)) request.auth = signCommand(secret, signedFieldsOf(nodeId, method, request));
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const log = this.log.child({ nodeId, method, commandId: id });
    const result = new Promise<RpcSuccess<M>>((resolve, reject) => {
      const timer = (this.opts.clock ?? systemClock).setTimeout(() => {
        this.pending.delete(id);
        log.warn({ timeoutMs }, 'RPC timed out');
        reject(
          new StewardError('TIMEOUT', `${what} did not answer: node ${nodeId} sent no reply to ${method} within ${timeoutMs} ms`, {
            nodeId,
          }),
        );
      }, timeoutMs);
      this.pending.set(id, { nodeId, method, what, resolve: resolve as (v: unknown) => void, reject, timer });
    });
    // not awaited: the caller holds `result` at once. Awaiting the publish first left `result` without a handler while
    // a broker that died held back its acknowledgement; the node going offline (or the timeout) then rejected it
    // unhandled, and Node ended the hub (found by npm run bench:faults, killing Mosquitto under load)
    this.conn.publish(topics.rpcRequest(nodeId, method), JSON.stringify(request), { qos: 1 }).then(
      () => log.debug('RPC sent'),
      (e: Error) => this.settle(id)?.reject(new StewardError('INTERNAL', `cannot send ${method} to node ${nodeId}: ${e.message}`)),
    );
    return result;
  }

  /** Fails every call waiting on a node that just went offline. */
  failNode(nodeId: string): void {
    for (const [id, p] of this.pending) {
      if (p.nodeId !== nodeId) continue;
      this.settle(id);
      p.reject(new StewardError('NODE_OFFLINE', `${p.what} is unreachable: its node ${nodeId} went offline`, { nodeId }));
    }
  }

  /** Rejects everything pending (the hub is stopping). */
  stop(): void {
    this.unsubscribe?.();
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(new StewardError('INTERNAL', `the hub stopped before node ${p.nodeId} answered`));
    }
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    (this.opts.clock ?? systemClock).clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private reject(nodeId: string, why: string, context: Record<string, unknown>): void {
    if (this.opts.rejections) this.opts.rejections.reject('mqtt-payload', nodeId, why, { nodeId, ...context });
    else this.log.warn({ nodeId, ...context }, `dropped: ${why}`);
  }

  private onMessage({ topic, payload }: InboundMessage): void {
    const t = parseTopic(topic);
    if (t.kind !== 'rpcResponse') return;
    if (payload.length > LIMITS.rpcPayloadBytes) {
      this.reject(t.nodeId, 'RPC response too large', { bytes: payload.length });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      this.reject(t.nodeId, 'RPC response is not JSON', { topic });
      return;
    }
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    // another caller's transaction, or one that already timed out
    if (!id || !pending || pending.nodeId !== t.nodeId || pending.method !== t.method) return;
    this.settle(id);
    const log = this.log.child({ nodeId: t.nodeId, method: t.method, commandId: id });
    const parsed = RPC_RESPONSE_SCHEMAS[pending.method].safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      this.reject(t.nodeId, `invalid RPC response: ${why}`, { method: t.method, commandId: id });
      pending.reject(new StewardError('DRIVER_ERROR', `node ${t.nodeId} sent an invalid ${t.method} response: ${why}`, { nodeId: t.nodeId }));
      return;
    }
    const response = parsed.data;
    if (response.ok) {
      log.debug('RPC acknowledged');
      pending.resolve(response);
    } else {
      log.info({ code: response.error.code }, 'RPC refused');
      pending.reject(new StewardError(response.error.code, response.error.message, { nodeId: t.nodeId }));
    }
  }
}
