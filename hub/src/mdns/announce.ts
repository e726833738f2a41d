import type { Logger } from 'pino';
import { startAdvertiser, type HubAdvertiser } from './advertiser.ts';

/** What the advertisement says and follows: the hub's identity and ports, and the pairing window's state. */
export interface AnnounceSource {
  interfaces: readonly string[];
  hubId: string;
  fingerprint: string;
  endpoint: { host: string; httpsPort: number; mqttsPort: number };
  pairingOpen: () => boolean;
  onPairingChange: (listener: (open: boolean) => void) => () => void;
}

/**
 * Advertises `_steward._tcp` on the given interfaces with the live `pair` hint; the advertised host becomes the
 * endpoint's host (the QR payload's). Resolves with a stop function.
 */
export async function announceHub(src: AnnounceSource, logger: Logger): Promise<{ advertiser: HubAdvertiser; stop(): Promise<void> }> {
  const advertiser = await startAdvertiser({
    interfaces: src.interfaces,
    hubId: src.hubId,
    httpsPort: src.endpoint.httpsPort,
    mqttsPort: src.endpoint.mqttsPort,
    fingerprint: src.fingerprint,
    pairingOpen: src.pairingOpen(),
    logger,
  });
  src.endpoint.host = advertiser.host;
  const off = src.onPairingChange((open) => advertiser.setPairingOpen(open));
  return {
    advertiser,
    stop: async () => {
      off();
      await advertiser.stop();
    },
  };
}
