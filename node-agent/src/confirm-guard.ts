import {
  RPC_AUTH_MAX_SKEW_MS,
  StewardError,
  checkCommandMac,
  confirmationCheck,
  effectiveConfirmRules,
  signedFieldsOf,
  type ConfirmRule,
  type DeviceDescriptor,
  type DeviceDriver,
  type RpcAuth,
  type SignedFields,
  type State,
} from '@steward/device-adapters';

export interface ConfirmGuardOptions {
  nodeId: string;
  /** the home's `confirm` rules per device id, given at configuration or pairing; each type's defaults always apply */
  rules: ReadonlyMap<string, readonly ConfirmRule[]>;
  /** shared with the hub (pairing, or the demo's provisioning); without it no confirm-listed command can run */
  secret?: string | undefined;
  now?: () => number;
  maxSkewMs?: number;
}

/** what the hub sent, for checking its proof */
export interface CommandProof {
  id: string;
  deviceId: string;
  command: string;
  params: Record<string, unknown>;
  auth?: RpcAuth | undefined;
}

/**
 * The node's own half of the confirmation rule (the hub holds such changes until the owner says yes): a change a
 * device's `confirm` rules list runs only on a `command` RPC the hub signed, fresh and never seen before. A `/set`
 * of such a change is refused outright, whatever the broker lets through. Checked against the device's state at the
 * moment the command runs (inside the device's queue), so a queued command cannot change what was judged.
 */
export class ConfirmGuard {
  private readonly rules = new Map<string, ConfirmRule[]>();
  private readonly seen = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxSkewMs: number;

  constructor(
    drivers: readonly DeviceDriver[],
    private readonly opts: ConfirmGuardOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.maxSkewMs = opts.maxSkewMs ?? RPC_AUTH_MAX_SKEW_MS;
    for (const d of drivers) this.rules.set(d.descriptor.id, effectiveConfirmRules(d.descriptor, opts.rules.get(d.descriptor.id) ?? []));
  }

  /** a device adopted while the node runs: its type's defaults (a lock's unlock) and nothing looser */
  addDevice(descriptor: DeviceDescriptor, homeRules: readonly ConfirmRule[] = []): void {
    this.rules.set(descriptor.id, effectiveConfirmRules(descriptor, homeRules));
  }

  removeDevice(deviceId: string): void {
    this.rules.delete(deviceId);
  }

  /** the rules a device is held to (defaults of its type and the home's) */
  rulesOf(deviceId: string): readonly ConfirmRule[] {
    return this.rules.get(deviceId) ?? [];
  }

  /** the rules this command would trigger on the device as it is now (targets over values, like the hub) */
  triggered(driver: DeviceDriver, command: string, params: unknown): ConfirmRule[] {
    const rules = this.rulesOf(driver.descriptor.id);
    if (rules.length === 0) return [];
    const before: State = { ...driver.state(), ...Object.fromEntries(Object.entries(driver.targets()).filter(([, v]) => v !== null)) };
    return confirmationCheck(driver.descriptor, rules, before, command, params).triggered;
  }

  /** Throws FORBIDDEN for a `/set` (Homie has no way to prove who sent it) of a confirm-listed change. */
  checkSet(driver: DeviceDriver, command: string, params: unknown): void {
    const rules = this.triggered(driver, command, params);
    if (rules.length > 0) {
      throw new StewardError(
        'FORBIDDEN',
        `${command} of ${driver.descriptor.id} needs the owner's confirmation (${rules.join(', ')}): it is refused over /set and runs only when the hub sends it`,
      );
    }
  }

  /** Throws FORBIDDEN unless a confirm-listed command carries the hub's valid, fresh, first-seen proof. */
  checkRpc(driver: DeviceDriver, request: CommandProof): void {
    const rules = this.triggered(driver, request.command, request.params);
    if (rules.length === 0) return;
    const refuse = (why: string) =>
      new StewardError('FORBIDDEN', `${request.command} of ${request.deviceId} needs the owner's confirmation (${rules.join(', ')}) and the hub's signature: ${why}`);
    this.verify({ nodeId: this.opts.nodeId, ...request }, request.auth, refuse);
  }

  /**
   * Adopting, forgetting and commissioning change what the node hosts: they run only with the hub's valid, fresh,
   * first-seen proof, always. Throws FORBIDDEN otherwise.
   */
  checkSigned(method: 'adopt' | 'forget' | 'commission', body: Record<string, unknown> & { id: string; auth?: RpcAuth | undefined }): void {
    const refuse = (why: string) => new StewardError('FORBIDDEN', `${method} runs only when the hub sends it, signed: ${why}`);
    this.verify(signedFieldsOf(this.opts.nodeId, method, body), body.auth, refuse);
  }

  private verify(fields: SignedFields, auth: RpcAuth | undefined, refuse: (why: string) => StewardError): void {
    if (!this.opts.secret) throw refuse('this node has no RPC secret (pair it again, or provision it with one)');
    if (!auth) throw refuse('the request is not signed');
    const now = this.now();
    if (Math.abs(now - auth.ts) > this.maxSkewMs) throw refuse(`its timestamp is ${Math.round((now - auth.ts) / 1000)} s away from this node's clock`);
    const bad = checkCommandMac(this.opts.secret, fields, auth);
    if (bad) throw refuse(bad);
    this.forgetOld(now);
    if (this.seen.has(fields.id)) throw refuse('its request id was already used');
    this.seen.set(fields.id, auth.ts);
  }

  /** ids older than the skew window can go: their timestamps are refused anyway */
  private forgetOld(now: number): void {
    for (const [id, ts] of this.seen) if (now - ts > this.maxSkewMs * 2) this.seen.delete(id);
  }
}
