export { createHub, defaultFeatures, type Hub, type HubOptions, type HubSecurity, type ResetReport } from './hub.ts';
export { HubConfigSchema, configure, parseHubConfig, type HubConfig, type HubConfigInput } from './config.ts';
export * from './core/index.ts';
export { orderFeatures, startFeatures, type AnyFeature, type RunningFeatures } from './core/lifecycle.ts';
export { storeFeature } from './store/feature.ts';
export { registryFeature } from './registry/feature.ts';
export { securityFeature } from './auth/feature.ts';
export { brokerFeature } from './broker/feature.ts';
export { transportFeature } from './transport/feature.ts';
export { gatewayFeature } from './gateway/feature.ts';
export { understandingFeature } from './understanding/feature.ts';
export { conversationFeature } from './conversation/feature.ts';
export { pairingFeature } from './pairing/feature.ts';
export { mdnsFeature } from './mdns/feature.ts';
export { apiFeature } from './api/feature.ts';
export { demoFeature } from './demo/feature.ts';
export { eventsFeature } from './events/feature.ts';
export { historyFeature } from './history/feature.ts';
export { plannerFeature, type PlannerProvides } from './planner/feature.ts';
export { startEmbeddedBroker, type BrokerAuthHooks, type EmbeddedBroker } from './broker/embedded-broker.ts';
export { Registry, type NodeStatus, type DeviceEdit } from './registry/registry.ts';
export { MqttGateway } from './gateway/mqtt-gateway.ts';
export { RpcClient } from './transport/rpc-client.ts';
export { buildApi } from './api/server.ts';
export { buildOpenApi } from './api/openapi.ts';
export * from './api/schemas.ts';
export {
  ConfirmationStore,
  confirmationRef,
  type PendingConfirmation,
  type Settled,
} from './conversation/confirmations.ts';
export type { ActOutcome, ConversationPipeline } from './conversation/pipeline.ts';
