export { createHub, type Hub, type HubOptions, type ResetReport } from './hub.ts';
export { HubConfigSchema, parseHubConfig, type HubConfig, type HubConfigInput } from './config.ts';
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
  type ConfirmationSource,
  type PendingConfirmation,
  type Settled,
} from './conversation/confirmations.ts';
export type { ActOutcome, ConversationPipeline } from './conversation/pipeline.ts';
