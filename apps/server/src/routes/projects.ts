import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AddProjectBody,
  AppError,
  ChatParams,
  GrantList,
  GrantParams,
  notFound,
  Project,
  ProjectList,
  ProjectParams,
} from '@boocode/protocol';
import {
  deleteProject,
  getChat,
  getProject,
  grant,
  listGrants,
  listProjects,
  revoke,
  type Sql,
} from '@boocode/db';
import { registerProject } from '../projects.ts';

/** What keeps each project's code graph: told when a project comes and goes. */
export interface ProjectWatchers {
  track(project: Project): Promise<void>;
  forget(projectId: string): void;
}

export const projectRoutes: FastifyPluginAsyncZod<{ sql: Sql; graph?: ProjectWatchers }> = async (
  app,
  { sql, graph },
) => {
  app.get('/api/projects', { schema: { response: { 200: ProjectList } } }, async () => ({
    projects: await listProjects(sql),
  }));

  app.post(
    '/api/projects',
    { schema: { body: AddProjectBody, response: { 201: Project } } },
    async (req, reply) => {
      const { project, created } = await registerProject(sql, req.body.path);
      if (!created) throw new AppError('conflict', `Already registered as "${project.name}".`);
      // Indexed in the background; errors are the indexer's to report.
      void graph?.track(project);
      return reply.code(201).send(project);
    },
  );

  app.delete(
    '/api/projects/:projectId',
    { schema: { params: ProjectParams } },
    async (req, reply) => {
      if (!(await deleteProject(sql, req.params.projectId))) {
        throw notFound('project');
      }
      graph?.forget(req.params.projectId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/chats/:chatId/grants',
    { schema: { params: ChatParams, response: { 200: GrantList } } },
    async (req) => {
      if (!(await getChat(sql, req.params.chatId))) throw notFound('chat');
      return { projectIds: await listGrants(sql, req.params.chatId) };
    },
  );

  app.put(
    '/api/chats/:chatId/grants/:projectId',
    { schema: { params: GrantParams } },
    async (req, reply) => {
      const [chat, project] = await Promise.all([
        getChat(sql, req.params.chatId),
        getProject(sql, req.params.projectId),
      ]);
      if (!chat) throw notFound('chat');
      if (!project) throw notFound('project');
      await grant(sql, chat.id, project.id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/chats/:chatId/grants/:projectId',
    { schema: { params: GrantParams } },
    async (req, reply) => {
      await revoke(sql, req.params.chatId, req.params.projectId);
      return reply.code(204).send();
    },
  );
};
