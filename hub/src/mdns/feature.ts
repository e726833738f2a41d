import { defineFeature } from '../core/feature.ts';
import { announceHub } from './announce.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    /** the interfaces advertised on; empty with an external broker (nothing to pair with) */
    mdns: { interfaces: readonly string[] };
  }
}

/**
 * Advertises `_steward._tcp` by mDNS on the security feature's interfaces (loopback only without any), with the
 * live `pair` hint while a pairing window is open. Only with the embedded broker, like pairing.
 */
export const mdnsFeature = () => {
  let stop: (() => Promise<void>) | undefined;
  return defineFeature({
    name: 'mdns',
    needs: ['security', 'pairing', 'broker'],
    async start(ctx) {
      if (!ctx.get('broker').embedded) return { interfaces: [] };
      const security = ctx.get('security');
      const { service } = ctx.get('pairing');
      const announced = await announceHub(
        {
          interfaces: security.interfaces,
          hubId: security.hubId,
          fingerprint: security.certificate.fingerprint,
          endpoint: security.endpoint,
          pairingOpen: () => service.status().open,
          onPairingChange: (l) => service.onChange(l),
        },
        ctx.logger,
      );
      stop = announced.stop;
      return { interfaces: announced.advertiser.interfaces };
    },
    async stop() {
      await stop?.();
      stop = undefined;
    },
  });
};
