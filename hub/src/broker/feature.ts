import { z } from 'zod';
import { PortSchema, defineFeature } from '../core/feature.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.ts';

export interface BrokerProvides {
  /** where the hub and the demo's nodes connect */
  url: string;
  /** the MQTT-over-TLS listener paired agents use; undefined with an external broker */
  mqttsUrl: string | undefined;
  /** false with `--mqtt-url`: the broker's own authentication applies, not the hub's ACL, and LAN pairing is off */
  embedded: boolean;
  /** the hub's own login on the embedded broker (an external one has its own users) */
  hubCredentials: { username: string; password: string } | undefined;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    broker: BrokerProvides;
  }
}

export const BrokerConfigSchema = z
  .object({
    /** where the embedded broker listens (ignored with `url`) */
    host: z.string().min(1).default('127.0.0.1'),
    port: PortSchema.default(1883),
    /** an external broker (Mosquitto): the hub then starts no embedded broker */
    url: z
      .string()
      .regex(/^mqtts?:\/\/[^/\s]+(:\d+)?\/?$/, 'mqttUrl must look like mqtt://HOST:PORT')
      .optional(),
    /** MQTT packets above this are refused by the embedded broker (the connection is closed) */
    maxPacketBytes: z.number().int().min(1024).default(512 * 1024),
  })
  .strict();

/** The embedded aedes broker behind the security feature's ACL, with MQTT over TLS; or an external broker by URL. */
export const brokerFeature = () => {
  let broker: EmbeddedBroker | undefined;
  return defineFeature({
    name: 'broker',
    needs: ['security'],
    config: {
      key: 'broker',
      schema: BrokerConfigSchema,
      options: [
        { flag: 'mqtt-host', field: 'host', kind: 'string', value: 'HOST', help: 'embedded broker address (default 127.0.0.1)' },
        { flag: 'mqtt-port', field: 'port', kind: 'number', value: 'Q', help: 'embedded broker port (default 1883; 0 = any free port)' },
        {
          flag: 'mqtt-url',
          field: 'url',
          kind: 'string',
          value: 'URL',
          help: 'use an external broker (e.g. Mosquitto at mqtt://127.0.0.1:1883) instead of the embedded one',
        },
      ],
    },
    async start(ctx, config) {
      const security = ctx.get('security');
      if (config.url !== undefined) {
        ctx.logger.warn({ mqttUrl: config.url }, 'external broker: its own authentication applies, not the hub ACL; pairing LAN agents needs the embedded broker');
        return { url: config.url, mqttsUrl: undefined, embedded: false, hubCredentials: undefined };
      }
      broker = await startEmbeddedBroker({ host: config.host, port: config.port, maxPacketBytes: config.maxPacketBytes, logger: ctx.logger, hooks: security.brokerHooks, rejections: ctx.rejections });
      const { mqttsUrl } = await security.attachBroker({ handle: broker.handle, aedes: broker.aedes });
      return { url: broker.url, mqttsUrl, embedded: true, hubCredentials: security.hubMqttCredentials };
    },
    async stop() {
      await broker?.close();
      broker = undefined;
    },
  });
};
