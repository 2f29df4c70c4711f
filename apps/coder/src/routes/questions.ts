import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getProject, getQuestion, insertQuestion, settleQuestion, type Sql } from '@boocode/db';
import {
  AppError,
  AskBody,
  notFound,
  QuestionAnswerBody,
  QuestionParams,
  QuestionReply,
} from '@boocode/protocol';
import type { AgentBus } from '../agents/agent-bus.ts';

/**
 * Questions for the human under /api/coder/questions: asked in free text (`ask_human` of
 * boocode's MCP server), waiting in the Inbox, answered once. The asker polls its question.
 */
export const questionRoutes: FastifyPluginAsyncZod<{ sql: Sql; bus: AgentBus }> = async (
  app,
  { sql, bus },
) => {
  app.post(
    '/api/coder/questions',
    { schema: { body: AskBody, response: { 201: QuestionReply } } },
    async (req, reply) => {
      const { projectId, asker, question } = req.body;
      if (projectId && !(await getProject(sql, projectId))) throw notFound('project');
      const q = await insertQuestion(sql, { asker, question, projectId: projectId ?? null });
      bus.inboxChanged();
      return reply.code(201).send({ question: q });
    },
  );

  app.get(
    '/api/coder/questions/:questionId',
    { schema: { params: QuestionParams, response: { 200: QuestionReply } } },
    async (req) => ({ question: await existing(sql, req.params.questionId) }),
  );

  app.post(
    '/api/coder/questions/:questionId/answer',
    {
      schema: {
        params: QuestionParams,
        body: QuestionAnswerBody,
        response: { 200: QuestionReply },
      },
    },
    async (req) => ({ question: await settle(sql, bus, req.params.questionId, req.body.answer) }),
  );

  /** The asker gave up (its client went away): the question leaves the Inbox. */
  app.delete(
    '/api/coder/questions/:questionId',
    { schema: { params: QuestionParams, response: { 200: QuestionReply } } },
    async (req) => ({ question: await settle(sql, bus, req.params.questionId, null) }),
  );
};

async function existing(sql: Sql, id: string) {
  const q = await getQuestion(sql, id);
  if (!q) throw notFound('question');
  return q;
}

/** Answers (or, with null, cancels) a pending question once: 404 unknown, 409 settled. */
async function settle(sql: Sql, bus: AgentBus, id: string, answer: string | null) {
  const q = await existing(sql, id);
  const settled = await settleQuestion(sql, id, answer);
  if (!settled) throw new AppError('conflict', `This question was already ${q.status}.`);
  bus.inboxChanged();
  return settled;
}
