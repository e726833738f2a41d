import type { DirectGateway } from '../core/actions.ts';
import { defineFeature } from '../core/feature.ts';
import { MqttGateway } from './mqtt-gateway.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    gateway: DirectGateway;
  }
}

/** Device actions over MQTT: checked against the device model, sent as RPC, complete on the node's acknowledgement. */
export const gatewayFeature = () =>
  defineFeature({
    name: 'gateway',
    needs: ['registry', 'transport'],
    start: (ctx): DirectGateway => new MqttGateway(ctx.get('registry'), ctx.get('transport').rpc, ctx.logger),
  });
