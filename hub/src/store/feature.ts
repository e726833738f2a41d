import { resolve } from 'node:path';
import { z } from 'zod';
import { loadHome, type Home } from '@steward/device-adapters';
import { defineFeature } from '../core/feature.ts';

import { openDatabase, type Db } from './database.ts';
import { RegistryStore } from './registry-store.ts';
import { StateStore } from './state-store.ts';

export interface StoreProvides {
  db: Db;
  registryStore: RegistryStore;
  stateStore: StateStore;
  /** the home file (absolute) and what it holds, when the hub was given one */
  homeFile: string | undefined;
  home: Home | undefined;
}

declare module '../core/feature.ts' {
  interface HubFeatures {
    store: StoreProvides;
  }
}

export const StoreConfigSchema = z
  .object({
    /** seeds the registry: what is missing is inserted, renames made through the API are kept */
    homeFile: z.string().min(1).optional(),
  })
  .strict();

/**
 * SQLite in `<data-dir>/steward.db`, seeded from the home file: what is missing is inserted, renames made through
 * the API are kept. The home file is read before anything listens, so a bad one stops the hub with its problems.
 */
export const storeFeature = () => {
  let db: Db | undefined;
  return defineFeature({
    name: 'store',
    config: {
      key: 'store',
      schema: StoreConfigSchema,
      options: [{ flag: 'home', field: 'homeFile', kind: 'string', value: 'FILE', help: 'home file that seeds the registry' }],
    },
    start(ctx, config) {
      const homeFile = config.homeFile === undefined ? undefined : resolve(config.homeFile);
      const home = homeFile === undefined ? undefined : loadHome(homeFile);
      db = openDatabase(ctx.dataDir);
      const registryStore = new RegistryStore(db);
      if (home) ctx.logger.info({ homeFile, ...registryStore.seedFromHome(home) }, 'registry seeded from the home file');
      return { db, registryStore, stateStore: new StateStore(db), homeFile, home };
    },
    stop() {
      db?.close();
      db = undefined;
    },
  });
};
