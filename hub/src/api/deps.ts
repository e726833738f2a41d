import type { Registry } from '../registry/registry.ts';
import type { MqttGateway } from '../gateway/mqtt-gateway.ts';
import type { ConversationPipeline } from '../conversation/pipeline.ts';
import type { Health } from './schemas.ts';

/** What the route plugins are given; each plugin takes only what it uses. */
export interface ApiDeps {
  registry: Registry;
  gateway: MqttGateway;
  pipeline: Pick<ConversationPipeline, 'handle'>;
  mqttStats: () => Health['mqtt'];
}
