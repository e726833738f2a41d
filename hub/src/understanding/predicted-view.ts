import { commandEffect, type State } from '@steward/device-adapters';
import type { Clause, DeviceView, HomeView } from './contract.ts';

/**
 * The home as a later clause of the same utterance will find it: "打开空调，制冷模式" sets the mode of an AC that is
 * on by then, and "turn on the lamp, then make it brighter" starts from the brightness the first clause leaves.
 * Predictions come from the device model (`commandEffect`); delayed clauses change nothing now.
 */
export class PredictedView implements HomeView {
  private readonly predicted = new Map<string, State>();

  constructor(
    private readonly base: HomeView,
    private readonly byId: ReadonlyMap<string, DeviceView>,
  ) {}

  get version(): number {
    return this.base.version;
  }
  areas() {
    return this.base.areas();
  }
  devices() {
    return this.base.devices();
  }
  scenes() {
    return this.base.scenes();
  }
  nodes() {
    return this.base.nodes?.() ?? [];
  }
  state(deviceId: string): State | undefined {
    return this.predicted.get(deviceId) ?? this.base.state(deviceId);
  }

  /** Records what an act clause will do; a command the device would refuse predicts nothing. */
  apply(clause: Clause): void {
    if (clause.kind !== 'act' || clause.delayMs) return;
    for (const a of clause.actions) {
      const device = this.byId.get(a.deviceId);
      if (!device) continue;
      const before = this.state(a.deviceId) ?? {};
      try {
        this.predicted.set(a.deviceId, { ...before, ...commandEffect(device, before, a.command, a.params) });
      } catch {
        // refused at the device: the state stays as it was
      }
    }
  }
}
