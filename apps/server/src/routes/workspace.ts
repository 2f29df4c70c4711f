import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Workspace, WorkspaceState, defaultWorkspace } from '@boocode/protocol';
import { getWorkspace, saveWorkspace, type Sql } from '@boocode/db';

/** The pane layout: read at page load, replaced (debounced) as the user arranges panes. */
export const workspaceRoutes: FastifyPluginAsyncZod<{ sql: Sql }> = async (app, { sql }) => {
  app.get('/api/workspace', { schema: { response: { 200: WorkspaceState } } }, async () => {
    const stored = await getWorkspace(sql);
    return stored ?? { workspace: defaultWorkspace(), updatedAt: null };
  });

  app.put(
    '/api/workspace',
    { schema: { body: Workspace, response: { 200: WorkspaceState } } },
    async (req) => {
      const updatedAt = await saveWorkspace(sql, req.body);
      return { workspace: req.body, updatedAt };
    },
  );
};
