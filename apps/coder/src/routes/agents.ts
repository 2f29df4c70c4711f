import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { listRecentAgentSessions, type Sql } from '@boocode/db';
import {
  AgentEventList,
  AgentEventsQuery,
  AgentSessionList,
  AgentSessionParams,
  AgentSessionReply,
  AnswerBody,
  InboxList,
  PermissionParams,
  PromptBody,
  SessionQuery,
  StartSessionBody,
  SyncSessionBody,
  SyncSessionReply,
} from '@boocode/protocol';
import type { AgentSessions } from '../agents/sessions.ts';
import { followInbox, followSession } from '../agents/sockets.ts';

/** Agent sessions, their events, permission answers and the inbox, under /api/coder. */
export const agentRoutes: FastifyPluginAsyncZod<{ agents: AgentSessions; sql: Sql }> = async (
  app,
  { agents, sql },
) => {
  app.post(
    '/api/coder/sessions',
    { schema: { body: StartSessionBody, response: { 201: AgentSessionReply } } },
    async (req, reply) => reply.code(201).send({ session: await agents.start(req.body) }),
  );

  app.get(
    '/api/coder/sessions',
    { schema: { querystring: SessionQuery, response: { 200: AgentSessionList } } },
    async (req) => ({
      sessions: req.query.chatId
        ? await agents.list(req.query.chatId)
        : await listRecentAgentSessions(sql),
    }),
  );

  app.get(
    '/api/coder/sessions/:sessionId/events',
    {
      schema: {
        params: AgentSessionParams,
        querystring: AgentEventsQuery,
        response: { 200: AgentEventList },
      },
    },
    async (req) => agents.events(req.params.sessionId, req.query.afterSeq),
  );

  app.post(
    '/api/coder/sessions/:sessionId/prompt',
    {
      schema: {
        params: AgentSessionParams,
        body: PromptBody,
        response: { 200: AgentSessionReply },
      },
    },
    async (req) => ({ session: await agents.prompt(req.params.sessionId, req.body.text) }),
  );

  app.post(
    '/api/coder/sessions/:sessionId/cancel',
    { schema: { params: AgentSessionParams, response: { 200: AgentSessionReply } } },
    async (req) => ({ session: await agents.cancel(req.params.sessionId) }),
  );

  app.post(
    '/api/coder/sessions/:sessionId/sync',
    {
      schema: {
        params: AgentSessionParams,
        body: SyncSessionBody.optional(),
        response: { 200: SyncSessionReply },
      },
    },
    async (req) => agents.sync(req.params.sessionId, req.body?.ended ?? false),
  );

  app.delete(
    '/api/coder/sessions/:sessionId',
    { schema: { params: AgentSessionParams, response: { 200: AgentSessionReply } } },
    async (req) => ({ session: await agents.close(req.params.sessionId) }),
  );

  app.get(
    '/api/coder/sessions/:sessionId/ws',
    { websocket: true, schema: { params: AgentSessionParams, querystring: AgentEventsQuery } },
    (socket: WebSocket, req) =>
      void followSession(socket, agents, req.params.sessionId, req.query.afterSeq, req.log),
  );

  app.get('/api/coder/inbox', { schema: { response: { 200: InboxList } } }, async () => ({
    items: await agents.inbox(),
  }));

  app.get('/api/coder/inbox/ws', { websocket: true }, (socket: WebSocket, req) =>
    followInbox(socket, agents, req.log),
  );

  app.post(
    '/api/coder/permissions/:permissionId',
    {
      schema: {
        params: PermissionParams,
        body: AnswerBody,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      await agents.answer(req.params.permissionId, req.body.optionId);
      return { ok: true as const };
    },
  );
};
