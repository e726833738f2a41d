import ciao, { type CiaoService, type Responder } from '@homebridge/ciao';
import type { Logger } from 'pino';
import { MDNS_SERVICE_TYPE, PAIRING_PROTOCOL_VERSION, type DiscoveryTxt } from '@steward/device-adapters/protocol/pairing.ts';
import { ipv4Of, loopbackInterface } from '../net/interfaces.ts';

export interface AdvertiserOptions {
  /** where to advertise (--mdns-interface, repeatable); none = loopback only, which is logged */
  interfaces: readonly string[];
  hubId: string;
  httpsPort: number;
  mqttsPort: number;
  fingerprint: string;
  pairingOpen: boolean;
  logger: Logger;
}

export interface HubAdvertiser {
  /** the interfaces advertised on (loopback is always among them: ciao answers local queries there) */
  readonly interfaces: readonly string[];
  /** the first IPv4 address of the first interface given (127.0.0.1 with none): the QR payload's host */
  readonly host: string;
  txt(): DiscoveryTxt;
  /** updates the `pair` hint when the window opens or closes */
  setPairingOpen(open: boolean): void;
  stop(): Promise<void>;
}

/**
 * Advertises `_steward._tcp` with ciao on the given interfaces only: ciao is always passed `interface`, so it
 * never picks interfaces by itself. TXT hints are non-secret: hub id, protocol version, ports, TLS fingerprint
 * and whether a pairing window is open. None of it is trusted by agents without the pairing proof.
 */
export async function startAdvertiser(opts: AdvertiserOptions): Promise<HubAdvertiser> {
  const log = opts.logger.child({ component: 'mdns' });
  const lo = loopbackInterface();
  const given = [...new Set(opts.interfaces)];
  // validates every name before anything is sent (a typo must not silently advertise nowhere)
  const host = given.length > 0 ? ipv4Of(given[0]!) : '127.0.0.1';
  for (const name of given.slice(1)) ipv4Of(name);
  const interfaces = given.length > 0 ? given : [lo];
  if (given.length === 0) log.warn('no --mdns-interface given: advertising on loopback only; agents on the LAN will not find this hub');

  let txt: DiscoveryTxt = {
    id: opts.hubId,
    pv: PAIRING_PROTOCOL_VERSION,
    https: opts.httpsPort,
    mqtts: opts.mqttsPort,
    fp: opts.fingerprint,
    pair: opts.pairingOpen ? '1' : '0',
  };
  const responder: Responder = ciao.getResponder({ interface: interfaces, disableIpv6: true });
  const service: CiaoService = responder.createService({
    name: `Steward Hub ${opts.hubId}`,
    type: MDNS_SERVICE_TYPE,
    port: opts.httpsPort,
    txt,
    disabledIpv6: true,
  });
  await service.advertise();
  log.info({ interfaces, hubId: opts.hubId, port: opts.httpsPort }, 'advertising _steward._tcp');

  let stopped = false;
  let repeat: NodeJS.Timeout | undefined;
  return {
    interfaces,
    host,
    txt: () => ({ ...txt }),
    setPairingOpen(open) {
      const pair = open ? '1' : '0';
      if (stopped || txt.pair === pair) return;
      txt = { ...txt, pair };
      service.updateTxt(txt);
      // RFC 6762 8.4: a changed record is announced at least twice, one second apart; ciao sends it once, and an
      // agent that missed that one packet would otherwise hear the new hint only when it asks
      clearTimeout(repeat);
      repeat = setTimeout(() => {
        if (!stopped) service.updateTxt(txt);
      }, 1000);
      repeat.unref();
      log.info({ pairing: open }, 'mDNS pairing hint updated');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(repeat);
      // goodbye packets, then the sockets close
      await service.end().catch(() => undefined);
      await service.destroy().catch(() => undefined);
      await responder.shutdown();
    },
  };
}
