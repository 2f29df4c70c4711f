import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ApplyResult,
  CheckpointList,
  CheckpointParams,
  CheckpointQuery,
  CoderChat,
  CoderChatParams,
  CoderSettingsBody,
  CreateCoderChatBody,
  DecideBody,
  PendingList,
  PendingQuery,
  RejectResult,
  RewindResult,
} from '@boocode/protocol';
import type { CoderService } from '../coder-service.ts';

/** REST of the pending queue, checkpoints and coder chats, under /api/coder. */
export const coderRoutes: FastifyPluginAsyncZod<{ coder: CoderService }> = async (
  app,
  { coder },
) => {
  app.post(
    '/api/coder/chats',
    { schema: { body: CreateCoderChatBody, response: { 201: CoderChat } } },
    async (req, reply) => reply.code(201).send({ chat: await coder.createChat(req.body) }),
  );

  app.get(
    '/api/coder/chats/:chatId',
    { schema: { params: CoderChatParams, response: { 200: CoderChat } } },
    async (req) => ({ chat: await coder.chat(req.params.chatId) }),
  );

  app.put(
    '/api/coder/chats/:chatId/settings',
    { schema: { params: CoderChatParams, body: CoderSettingsBody, response: { 200: CoderChat } } },
    async (req) => ({ chat: await coder.setAutoApply(req.params.chatId, req.body.autoApply) }),
  );

  app.get(
    '/api/coder/pending',
    { schema: { querystring: PendingQuery, response: { 200: PendingList } } },
    async (req) => ({ changes: await coder.listPending(req.query, req.query.status) }),
  );

  app.post(
    '/api/coder/apply',
    { schema: { body: DecideBody, response: { 200: ApplyResult } } },
    async (req) => coder.apply(req.body, req.body.ids),
  );

  app.post(
    '/api/coder/reject',
    { schema: { body: DecideBody, response: { 200: RejectResult } } },
    async (req) => ({ rejected: await coder.reject(req.body, req.body.ids) }),
  );

  app.get(
    '/api/coder/checkpoints',
    { schema: { querystring: CheckpointQuery, response: { 200: CheckpointList } } },
    async (req) => ({ checkpoints: await coder.checkpoints(req.query) }),
  );

  app.post(
    '/api/coder/checkpoints/:checkpointId/rewind',
    { schema: { params: CheckpointParams, response: { 200: RewindResult } } },
    async (req) => coder.rewind(req.params.checkpointId),
  );
};
