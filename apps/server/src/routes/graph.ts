import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createPathGuard } from '@boocode/files';
import {
  callGraph,
  definitionAt,
  findReferences,
  findSymbol,
  outline,
  type GraphIndexer,
} from '@boocode/graph';
import {
  AppError,
  GraphCalls,
  GraphCallsQuery,
  GraphDefinition,
  GraphDefinitionQuery,
  GraphFileList,
  GraphFilesQuery,
  GraphOutline,
  GraphOutlineQuery,
  GraphParams,
  GraphReferenceList,
  GraphReferencesQuery,
  GraphStatus,
  GraphSymbolList,
  GraphSymbolsQuery,
  GraphLanguage,
  notFound,
  type Project,
} from '@boocode/protocol';
import { findGraphFiles, getProject, graphCounts, type Sql } from '@boocode/db';
import { freshen } from '../graph-scope.ts';

/**
 * The code graph of one project, for the web app (outline beside the viewer, callers and
 * callees, go to definition). Paths are relative to the project and pass its path guard.
 */
export const graphRoutes: FastifyPluginAsyncZod<{ sql: Sql; indexer: GraphIndexer }> = async (
  app,
  { sql, indexer },
) => {
  /** The project, its index brought up to date, and notes when it could not be in time. */
  async function fresh(projectId: string): Promise<{ project: Project; notes: string[] }> {
    const project = await getProject(sql, projectId);
    if (!project) throw notFound('project');
    return { project, notes: await freshen(indexer, [project]) };
  }

  /** A path of the project, through its guard: a relative path inside it, or 400. */
  async function relPath(project: Project, input: string): Promise<string> {
    const guard = createPathGuard([{ id: project.name, path: project.path }]);
    const res = await guard.resolve(input);
    if (!res.ok) throw new AppError('bad_request', res.message);
    return res.rel;
  }

  const base = '/api/projects/:projectId/graph';

  app.get(
    base,
    { schema: { params: GraphParams, response: { 200: GraphStatus } } },
    async (req) => {
      const project = await getProject(sql, req.params.projectId);
      if (!project) throw notFound('project');
      // Status does not wait: it is what the UI polls while an index is built.
      if (!indexer.progress(project.id)) void indexer.track(project);
      const progress = indexer.progress(project.id)!;
      return { ...progress, ...(await graphCounts(sql, project.id)) };
    },
  );

  app.get(
    `${base}/outline`,
    {
      schema: {
        params: GraphParams,
        querystring: GraphOutlineQuery,
        response: { 200: GraphOutline },
      },
    },
    async (req) => {
      const { project } = await fresh(req.params.projectId);
      const rel = await relPath(project, req.query.path);
      if (rel === '.') throw new AppError('bad_request', 'path must name a file, not the project.');
      return outline(sql, project.id, rel);
    },
  );

  app.get(
    `${base}/symbols`,
    {
      schema: {
        params: GraphParams,
        querystring: GraphSymbolsQuery,
        response: { 200: GraphSymbolList },
      },
    },
    async (req) => {
      const { project, notes } = await fresh(req.params.projectId);
      const r = await findSymbol(sql, [project.id], {
        name: req.query.q,
        kind: req.query.kind,
        limit: req.query.limit,
      });
      return { ...r, notes: [...notes, ...r.notes] };
    },
  );

  app.get(
    `${base}/references`,
    {
      schema: {
        params: GraphParams,
        querystring: GraphReferencesQuery,
        response: { 200: GraphReferenceList },
      },
    },
    async (req) => {
      const { project, notes } = await fresh(req.params.projectId);
      const rel = req.query.path === undefined ? undefined : await relPath(project, req.query.path);
      const r = await findReferences(sql, [project.id], {
        name: req.query.name,
        path: rel === '.' ? undefined : rel,
      });
      return { ...r, notes: [...notes, ...r.notes] };
    },
  );

  app.get(
    `${base}/calls`,
    {
      schema: { params: GraphParams, querystring: GraphCallsQuery, response: { 200: GraphCalls } },
    },
    async (req) => {
      const { project, notes } = await fresh(req.params.projectId);
      const { path, ...q } = req.query;
      const from =
        path === undefined
          ? undefined
          : { projectId: project.id, path: await relPath(project, path) };
      const r = await callGraph(sql, [project.id], { ...q, from });
      return { ...r, notes: [...notes, ...r.notes] };
    },
  );

  app.get(
    `${base}/definition`,
    {
      schema: {
        params: GraphParams,
        querystring: GraphDefinitionQuery,
        response: { 200: GraphDefinition },
      },
    },
    async (req) => {
      const { project, notes } = await fresh(req.params.projectId);
      const rel = await relPath(project, req.query.path);
      const r = await definitionAt(sql, [project.id], {
        projectId: project.id,
        path: rel,
        line: req.query.line,
        column: req.query.column,
      });
      return { ...r, notes: [...notes, ...r.notes] };
    },
  );

  app.get(
    `${base}/files`,
    {
      schema: {
        params: GraphParams,
        querystring: GraphFilesQuery,
        response: { 200: GraphFileList },
      },
    },
    async (req) => {
      const { project, notes } = await fresh(req.params.projectId);
      const limit = req.query.limit ?? 50;
      const rows = await findGraphFiles(sql, project.id, req.query.q, limit + 1);
      const files = rows
        .slice(0, limit)
        .map((r) => ({ path: r.path, language: GraphLanguage.parse(r.language) }));
      return { files, notes, truncated: rows.length > limit };
    },
  );
};
