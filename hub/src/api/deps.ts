import type { Registry } from '../registry/registry.ts';
import type { ActionResult, DirectGateway } from '../core/actions.ts';
import type { ConversationPipeline } from '../conversation/pipeline.ts';
import type { Health } from './schemas.ts';

/** What the route plugins are given; each plugin takes only what it uses. */
export interface ApiDeps {
  registry: Registry;
  gateway: DirectGateway;
  pipeline: Pick<ConversationPipeline, 'handle'>;
  mqttStats: () => Health['mqtt'];
  /** node ids holding credentials from a pairing (GET /api/nodes `paired`); none without the security layer */
  pairedNodes?: () => ReadonlySet<string>;
  /** a direct command that a device's `confirm` rule covers (unlock, open) ran: the audit log records it */
  onSensitiveCommand?: (result: ActionResult, context: { source: string }) => void;
}
