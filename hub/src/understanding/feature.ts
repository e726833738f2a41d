import { defineFeature } from '../core/feature.ts';
import type { Understanding } from './contract.ts';
import { createUnderstanding } from './index.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    understanding: Understanding;
  }
}

/** English and Chinese rules over the registry's view of the home (recompiled when names or devices change). */
export const understandingFeature = () =>
  defineFeature({
    name: 'understanding',
    needs: ['registry'],
    start: (ctx) => createUnderstanding(ctx.get('registry')),
  });
