/**
 * The planner suites' shared setup: a scripted OpenAI-compatible server on loopback, then a real hub with the
 * benchmark home's node agents as processes, its planner pointed at that server; `nodes` reads what the nodes report.
 */
import { BENCHMARK_HOME, benchmarkHome } from './agents.ts';
import { NodeReports } from './hub-nodes.ts';
import { startTestHub, type TestHub } from './hub-start.ts';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm.ts';

export interface PlannerHub {
  llm: ScriptedLlm;
  t: TestHub;
  nodes: NodeReports;
  /** every device back at its initial state, conversations and pending confirmations forgotten */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** `llm`: the planner's settings besides the server's URL and model name (steps, limits, hidden devices) */
export async function startPlannerHub(llmSettings: Record<string, unknown> = {}): Promise<PlannerHub> {
  const llm = await startScriptedLlm();
  const t = await startTestHub({
    homeFile: BENCHMARK_HOME,
    demo: true,
    // two cores shared with other work: give the nine agent processes time to come up
    nodesOnlineTimeoutMs: 90_000,
    llm: { url: llm.url, model: 'scripted', ...llmSettings },
  });
  const nodes = await NodeReports.connect(t.hub.mqttUrl, benchmarkHome(), await t.mqttAdmin());
  return {
    llm,
    t,
    nodes,
    async reset() {
      await t.hub.resetDevices();
      t.hub.pipeline.reset();
    },
    async stop() {
      await nodes.close();
      await t.stop();
      await llm.close();
    },
  };
}
