import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  FileContent,
  ProjectFileParams,
  QueueWriteBody,
  QueueWriteReply,
  ReadFileQuery,
  SearchFilesQuery,
  SearchReply,
} from '@boocode/protocol';
import type { ProjectFiles } from '../project-files.ts';

/** A project's files for the CLI and its MCP server: read, search, queue a write for review. */
export const projectFileRoutes: FastifyPluginAsyncZod<{ files: ProjectFiles }> = async (
  app,
  { files },
) => {
  app.get(
    '/api/coder/projects/:projectId/file',
    {
      schema: {
        params: ProjectFileParams,
        querystring: ReadFileQuery,
        response: { 200: FileContent },
      },
    },
    async (req) => files.read(req.params.projectId, req.query),
  );

  app.get(
    '/api/coder/projects/:projectId/search',
    {
      schema: {
        params: ProjectFileParams,
        querystring: SearchFilesQuery,
        response: { 200: SearchReply },
      },
    },
    async (req) => files.search(req.params.projectId, req.query),
  );

  app.post(
    '/api/coder/projects/:projectId/pending',
    {
      schema: {
        params: ProjectFileParams,
        body: QueueWriteBody,
        response: { 201: QueueWriteReply },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await files.queueWrite(req.params.projectId, req.body)),
  );
};
