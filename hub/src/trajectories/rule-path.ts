/**
 * Rule-path requests recorded as the planner would have made them: each executed action becomes the tool call of
 * the planner's catalog (`toolCallForAction`), a scene one `run_scene` call, a delayed clause `schedule` calls, so
 * exported trajectories of both paths teach a model the same tools. Plugs into the conversation pipeline as its
 * `TurnObserver`.
 */
import { performance } from 'node:perf_hooks';
import type { ActionResult, CommandTextResponse } from '../conversation/contract.ts';
import type { TurnObserver, TurnWatch } from '../conversation/observer.ts';
import type { DeviceAction } from '../understanding/contract.ts';
import { SCENE_TOOL, SCHEDULE_TOOL, toolCallForAction } from '../planner/tools.ts';
import type { TrajectoryRecorder, TrajectoryStart, TrajectoryStep } from './recorder.ts';

type ToolCallStep = Extract<TrajectoryStep, { kind: 'tool_call' }>;

/** what a device tool answers for one device: the state its node acknowledged, or the error */
export function toolResultFor(r: ActionResult): Record<string, unknown> {
  return r.ok ? { device_id: r.deviceId, ok: true, state: r.state ?? {} } : { device_id: r.deviceId, ok: false, error: r.error ?? { code: 'INTERNAL', message: 'unknown error' } };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const actionKey = (a: DeviceAction) => `${a.deviceId}\u0000${a.command}\u0000${JSON.stringify(a.params)}`;

export function rulePathObserver(recorder: TrajectoryRecorder, opts: { source?: TrajectoryStart['source']; now?: () => number } = {}): TurnObserver {
  const now = opts.now ?? Date.now;
  return {
    begin({ conversationId, text, area, interpretation, source }): TurnWatch {
      const handle = recorder.begin({ conversationId, text, lang: interpretation.lang, ...(area ? { area } : {}), source: source ?? opts.source ?? 'api', path: 'rules' });
      handle.step({ kind: 'parse', at: now(), clauses: interpretation.clauses });
      // which scene an action belongs to (a scene is recorded as its one run_scene call)
      const sceneOf = new Map<string, string>();
      for (const c of interpretation.clauses) if (c.kind === 'act' && c.sceneId) for (const a of c.actions) sceneOf.set(actionKey(a), c.sceneId);
      let calls = 0;
      const callId = () => `call_${++calls}`;
      /** actions of one scene, joined into its single run_scene call when the turn ends */
      const scenes = new Map<string, { at: number; t0: number; t1: number; results: ActionResult[] }>();

      return {
        action(action: DeviceAction) {
          const sceneId = sceneOf.get(actionKey(action));
          const at = now();
          const t0 = performance.now();
          return (result) => {
            const t1 = performance.now();
            if (sceneId !== undefined) {
              const s = scenes.get(sceneId) ?? { at, t0, t1, results: [] };
              s.t1 = Math.max(s.t1, t1);
              s.results.push(result);
              scenes.set(sceneId, s);
              return;
            }
            const call = toolCallForAction(action);
            handle.step({ kind: 'tool_call', at, id: callId(), name: call.name, arguments: call.arguments, result: toolResultFor(result), ok: result.ok, ms: round(t1 - t0) });
          };
        },
        scheduled(actions, delayMs) {
          for (const a of actions) {
            const call = toolCallForAction(a);
            const args = { delay_minutes: delayMs / 60_000, tool: call.name, arguments: call.arguments };
            handle.step({ kind: 'tool_call', at: now(), id: callId(), name: SCHEDULE_TOOL, arguments: args, result: { scheduled: true, delay_minutes: delayMs / 60_000 }, ok: true, ms: 0 });
          }
        },
        confirmation(decision, confirmationId) {
          handle.step({ kind: 'confirmation', at: now(), decision, ...(confirmationId ? { confirmationId } : {}) });
        },
        end(response: CommandTextResponse) {
          const sceneSteps: ToolCallStep[] = [...scenes].map(([sceneId, s]) => ({
            kind: 'tool_call',
            at: s.at,
            id: callId(),
            name: SCENE_TOOL,
            arguments: { scene_id: sceneId },
            result: { results: s.results.map(toolResultFor) },
            ok: s.results.every((r) => r.ok),
            ms: round(s.t1 - s.t0),
          }));
          for (const s of sceneSteps) handle.step(s);
          handle.step({ kind: 'reply', at: now(), text: response.reply });
          const understood = interpretation.clauses.every((c) => c.kind !== 'unknown');
          handle.finish({ reply: response.reply, ok: understood && response.actions.every((a) => a.ok) });
        },
      };
    },
  };
}
