/**
 * One conversation suite's setup on real parts: the real hub with the benchmark home's node-agent processes and its
 * embedded broker, node reports read over MQTT, and a fresh conversation pipeline before each test on timers the test
 * moves by hand. Registers the suite's beforeAll/afterAll/beforeEach hooks.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import type { Value } from '@steward/device-adapters';
import { createConversationPipeline, type ConversationPipeline } from '@steward/hub/conversation/pipeline.ts';
import { createUnderstanding } from '@steward/hub/understanding/index.ts';
import type { Timers } from '@steward/hub/conversation/clock.ts';
import { BENCHMARK_HOME, benchmarkHome } from './agents.ts';
import { NodeReports } from './hub-nodes.ts';
import { startTestHub, type TestHub } from './hub-start.ts';

/** Timers that move only when the test says (no callbacks run: the suites check what time changes in replies). */
export class ManualTimers implements Timers {
  private t = 1_000_000;
  now = () => this.t;
  setTimeout = () => 0;
  clearTimeout = () => {};
  advance(ms: number): void {
    this.t += ms;
  }
}

export type DeviceStates = Record<string, Record<string, Value>>;

export interface ConversationHub {
  readonly t: TestHub;
  readonly nodes: NodeReports;
  readonly timers: ManualTimers;
  /** one turn of the current conversation, optionally from an area */
  say(text: string, area?: string): ReturnType<ConversationPipeline['handle']>;
  /** the next turns belong to a new conversation */
  newConversation(): void;
  /** every writable field of every device, as the nodes report it (read-only readings drift on their own) */
  snapshot(): Promise<DeviceStates>;
}

/** The snapshot with only the given fields changed. */
export function changed(before: DeviceStates, patch: DeviceStates): DeviceStates {
  const out = structuredClone(before);
  for (const [id, fields] of Object.entries(patch)) Object.assign(out[id]!, fields);
  return out;
}

export function useConversationHub(conversationPrefix: string): ConversationHub {
  const home = benchmarkHome();
  const readOnly = new Set(home.readOnly);
  let t: TestHub;
  let nodes: NodeReports;
  let timers: ManualTimers;
  let pipeline: ConversationPipeline | undefined;
  let conversation = 0;

  beforeAll(async () => {
    t = await startTestHub({ homeFile: BENCHMARK_HOME, demo: true });
    nodes = await NodeReports.connect(t.hub.mqttUrl, home, await t.mqttAdmin());
  }, 90_000);

  afterAll(async () => {
    pipeline?.close();
    await nodes?.close();
    await t?.stop();
  });

  beforeEach(async () => {
    await t.hub.resetDevices();
    await nodes.waitForValue('kitchen_light', 'on', true);
    await nodes.waitForValue('bedroom_light', 'on', false);
    timers = new ManualTimers();
    pipeline?.close();
    pipeline = createConversationPipeline({
      understanding: createUnderstanding(t.hub.registry),
      gateway: t.hub.gateway,
      view: t.hub.registry,
      logger: pino({ level: 'silent' }),
      timers,
    });
    conversation += 1;
  });

  return {
    get t() {
      return t;
    },
    get nodes() {
      return nodes;
    },
    get timers() {
      return timers;
    },
    say: (text, area) => pipeline!.handle({ text, conversationId: `${conversationPrefix}-${conversation}`, ...(area ? { area } : {}) }),
    newConversation: () => {
      conversation += 1;
    },
    snapshot: async () => {
      const out: DeviceStates = {};
      for (const n of home.nodes) {
        for (const [id, d] of Object.entries(await nodes.snapshot(n.id))) {
          out[id] = Object.fromEntries(Object.entries(d.state).filter(([f]) => !readOnly.has(f)));
        }
      }
      return out;
    },
  };
}
