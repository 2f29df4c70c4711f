import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Accepted,
  Chat,
  ChatList,
  ChatListQuery,
  ChatParams,
  ChatSnapshot,
  CompactBody,
  CreateChatBody,
  EditBody,
  ExportQuery,
  ForkBody,
  MessagePage,
  MessagePageQuery,
  MessageParams,
  notFound,
  RegenerateBody,
  SendBody,
  SnapshotQuery,
  UpdateChatBody,
} from '@boocode/protocol';
import { createChat, getProject, listChats, publicChat, updateChat, type Sql } from '@boocode/db';
import type { ChatService } from '../chat/chat-service.ts';
import { DEFAULT_TITLE } from '../chat/chat-runs.ts';
import { chatToMarkdown, exportSlug } from '../chat/export.ts';
import type { AgentRegistry } from '../agents.ts';

export interface ChatRoutesOptions {
  sql: Sql;
  chats: ChatService;
  agents: AgentRegistry;
  onChatsChanged: (chat: Chat | null, deletedId: string | null) => void;
}

export const chatRoutes: FastifyPluginAsyncZod<ChatRoutesOptions> = async (
  app,
  { sql, chats, agents, onChatsChanged },
) => {
  app.get(
    '/api/chats',
    { schema: { querystring: ChatListQuery, response: { 200: ChatList } } },
    async (req) => {
      const found = await listChats(sql, req.query.q);
      return {
        chats: found.chats.map(publicChat),
        running: found.chats.filter((c) => chats.isRunning(c.id)).map((c) => c.id),
        matches: Object.fromEntries(found.matches),
      };
    },
  );

  app.post(
    '/api/chats',
    { schema: { body: CreateChatBody, response: { 201: Chat } } },
    async (req, reply) => {
      if (req.body.projectId && !(await getProject(sql, req.body.projectId))) {
        throw notFound('project');
      }
      const agent = req.body.agentId ? await agents.get(req.body.agentId) : null;
      if (req.body.agentId && !agent) throw notFound('agent');
      const chat = publicChat(
        await createChat(sql, {
          title: req.body.title ?? DEFAULT_TITLE,
          model: req.body.model ?? agent?.model ?? null,
          projectId: req.body.projectId ?? null,
          agentId: agent?.id ?? null,
        }),
      );
      onChatsChanged(chat, null);
      return reply.code(201).send(chat);
    },
  );

  app.get(
    '/api/chats/:chatId',
    { schema: { params: ChatParams, querystring: SnapshotQuery, response: { 200: ChatSnapshot } } },
    async (req) => chats.snapshot(req.params.chatId, req.query.limit),
  );

  app.get(
    '/api/chats/:chatId/messages',
    {
      schema: { params: ChatParams, querystring: MessagePageQuery, response: { 200: MessagePage } },
    },
    async (req) => chats.olderMessages(req.params.chatId, req.query),
  );

  app.patch(
    '/api/chats/:chatId',
    { schema: { params: ChatParams, body: UpdateChatBody, response: { 200: Chat } } },
    async (req) => {
      if (req.body.projectId && !(await getProject(sql, req.body.projectId))) {
        throw notFound('project');
      }
      const row = await updateChat(sql, req.params.chatId, req.body);
      if (!row) throw notFound('chat');
      const chat = publicChat(row);
      onChatsChanged(chat, null);
      return chat;
    },
  );

  app.delete('/api/chats/:chatId', { schema: { params: ChatParams } }, async (req, reply) => {
    await chats.deleteChat(req.params.chatId);
    return reply.code(204).send();
  });

  app.post(
    '/api/chats/:chatId/messages',
    { schema: { params: ChatParams, body: SendBody, response: { 202: Accepted } } },
    async (req, reply) => reply.code(202).send(await chats.send(req.params.chatId, req.body)),
  );

  app.post(
    '/api/chats/:chatId/fork',
    { schema: { params: ChatParams, body: ForkBody, response: { 201: Chat } } },
    async (req, reply) =>
      reply.code(201).send(await chats.fork(req.params.chatId, req.body.messageId)),
  );

  app.get(
    '/api/chats/:chatId/export',
    { schema: { params: ChatParams, querystring: ExportQuery } },
    async (req, reply) => {
      const { chat, messages } = await chats.everything(req.params.chatId);
      const name = exportSlug(chat);
      if (req.query.format === 'json') {
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.json"`)
          .send(JSON.stringify({ chat, messages }, null, 2));
      }
      return reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.md"`)
        .send(chatToMarkdown(chat, messages));
    },
  );

  app.post('/api/chats/:chatId/stop', { schema: { params: ChatParams } }, async (req, reply) => {
    await chats.stop(req.params.chatId);
    return reply.code(204).send();
  });

  app.post(
    '/api/chats/:chatId/regenerate',
    {
      schema: { params: ChatParams, body: RegenerateBody.optional(), response: { 202: Accepted } },
    },
    async (req, reply) =>
      reply.code(202).send(await chats.regenerate(req.params.chatId, { model: req.body?.model })),
  );

  app.post(
    '/api/chats/:chatId/compact',
    {
      schema: { params: ChatParams, body: CompactBody.optional(), response: { 202: Accepted } },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(await chats.compact(req.params.chatId, { model: req.body?.model, auto: false })),
  );

  app.post(
    '/api/chats/:chatId/messages/:messageId/edit',
    { schema: { params: MessageParams, body: EditBody, response: { 202: Accepted } } },
    async (req, reply) =>
      reply.code(202).send(
        await chats.edit(req.params.chatId, {
          messageId: req.params.messageId,
          content: req.body.content,
          model: req.body.model,
        }),
      ),
  );
};
