import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AgentList, notFound, SkillList, SkillQuery, type Project } from '@boocode/protocol';
import { chatRoots, getChat, getProject, type Sql } from '@boocode/db';
import { publicAgents, type AgentRegistry } from '../agents.ts';
import { discoverSkills, publicSkills } from '../skills.ts';

export interface LibraryRoutesOptions {
  sql: Sql;
  home: string;
  agents: AgentRegistry;
}

/** What a chat can draw on besides the model: skills and agents. */
export const libraryRoutes: FastifyPluginAsyncZod<LibraryRoutesOptions> = async (
  app,
  { sql, home, agents },
) => {
  app.get(
    '/api/skills',
    { schema: { querystring: SkillQuery, response: { 200: SkillList } } },
    async (req) => {
      let projects: Project[] = [];
      if (req.query.chatId) {
        if (!(await getChat(sql, req.query.chatId))) throw notFound('chat');
        projects = await chatRoots(sql, req.query.chatId);
      } else if (req.query.projectId) {
        const p = await getProject(sql, req.query.projectId);
        if (!p) throw notFound('project');
        projects = [p];
      }
      return publicSkills(await discoverSkills(home, projects), home);
    },
  );

  app.get('/api/agents', { schema: { response: { 200: AgentList } } }, async () =>
    publicAgents(await agents.list(), agents.dir),
  );
};
