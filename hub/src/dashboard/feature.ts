import { z } from 'zod';
import { DASHBOARD_DIST } from '@steward/dashboard';
import { defineFeature } from '../core/feature.ts';
import { ControlsResponseSchema, fieldControls } from './controls.ts';
import { dashboardStatic, loadDashboard, type DashboardFiles } from './static.ts';

declare module '../core/feature.ts' {
  interface HubFeatures {
    dashboard: { built: boolean };
  }
}

export const DashboardConfigSchema = z
  .object({
    /** the built dashboard's folder (default: the @steward/dashboard package's dist/) */
    dist: z.string().min(1).optional(),
  })
  .strict();

/**
 * The web dashboard (issue 16): the built front end at `/` and the OpenAPI viewer at `/docs` (the same page, its
 * API view), and `GET /api/dashboard/controls`, the controls generated from every device's trait fields. A hub whose
 * dashboard is not built answers `/` with a page that says how to build it; the API is unaffected.
 */
export const dashboardFeature = () => {
  let files: DashboardFiles | { missing: string } = { missing: 'not started' };
  return defineFeature({
    name: 'dashboard',
    needs: ['registry'],
    config: {
      key: 'dashboard',
      schema: DashboardConfigSchema,
      options: [{ flag: 'dashboard-dist', field: 'dist', kind: 'string', value: 'DIR', help: 'serve the dashboard from DIR (default: the built dashboard package)' }],
    },
    start(ctx, config) {
      files = loadDashboard(config.dist ?? DASHBOARD_DIST);
      if ('missing' in files) ctx.logger.warn({ why: files.missing }, 'the dashboard is not built (npm run build): / explains how');
      return { built: !('missing' in files) };
    },
    routes(ctx) {
      const registry = ctx.get('registry');
      return {
        prefix: '',
        docs: [
          {
            method: 'get',
            path: '/api/dashboard/controls',
            summary: "Every device's fields as dashboard controls (type, unit, range, options and the direct command that sets each), and the home's areas",
            response: ControlsResponseSchema,
            errors: [],
            auth: 'remote',
          },
        ],
        plugin: async (app) => {
          app.get('/api/dashboard/controls', async (): Promise<z.infer<typeof ControlsResponseSchema>> => ({
            devices: Object.fromEntries(registry.devices().map((d) => [d.id, fieldControls(d)])),
            areas: registry.areas().map((a) => ({ id: a.id, names: a.names })),
          }));
          await app.register(dashboardStatic, { files });
        },
      };
    },
  });
};
