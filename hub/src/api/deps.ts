import type { Registry } from '../registry/registry.ts';
import type { DirectGateway } from '../core/actions.ts';
import type { ConversationPipeline } from '../conversation/pipeline.ts';
import type { CommandHandler } from '../conversation/contract.ts';
import type { Health } from './schemas.ts';
import type { ScheduleRecord } from '../conversation/schedules.ts';

/** What the route plugins are given; each plugin takes only what it uses. */
export interface ApiDeps {
  registry: Registry;
  gateway: DirectGateway;
  pipeline: Pick<ConversationPipeline, 'handle' | 'act' | 'confirmations'>;
  /** rules or planner per request (issue 12); without it every command goes to the pipeline */
  router?: CommandHandler;
  mqttStats: () => Health['mqtt'];
  /** refused inputs by kind since the start (GET /api/health) */
  rejections?: () => Health['rejections'];
  /** node ids holding credentials from a pairing (GET /api/nodes `paired`); none without the security layer */
  pairedNodes?: () => ReadonlySet<string>;
  /** GET /api/schedules: pending scheduled commands, then the latest finished ones */
  schedules?: (limit: number) => ScheduleRecord[];
}
