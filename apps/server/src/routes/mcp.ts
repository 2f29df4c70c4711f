import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AddMcpServerBody,
  ChatMcpParams,
  ChatMcpSettings,
  ChatParams,
  McpServerList,
  McpServerParams,
  McpServerStatus,
  notFound,
  SetChatMcpBody,
  UpdateMcpServerBody,
} from '@boocode/protocol';
import { chatMcpDisabled, forgetMcpServer, getChat, setChatMcpServer, type Sql } from '@boocode/db';
import type { McpManager } from '../mcp/manager.ts';

/** MCP servers (kept in mcp.json) and which of them each chat uses. */
export const mcpRoutes: FastifyPluginAsyncZod<{ mcp: McpManager; sql: Sql }> = async (
  app,
  { mcp, sql },
) => {
  app.get('/api/mcp/servers', { schema: { response: { 200: McpServerList } } }, () => mcp.list());

  app.post(
    '/api/mcp/servers',
    { schema: { body: AddMcpServerBody, response: { 201: McpServerStatus } } },
    async (req, reply) => reply.code(201).send(await mcp.add(req.body.name, req.body.config)),
  );

  app.patch(
    '/api/mcp/servers/:name',
    {
      schema: {
        params: McpServerParams,
        body: UpdateMcpServerBody,
        response: { 200: McpServerStatus },
      },
    },
    (req) => mcp.setEnabled(req.params.name, req.body.enabled),
  );

  app.post(
    '/api/mcp/servers/:name/restart',
    { schema: { params: McpServerParams, response: { 200: McpServerStatus } } },
    (req) => mcp.restart(req.params.name),
  );

  app.delete(
    '/api/mcp/servers/:name',
    { schema: { params: McpServerParams } },
    async (req, reply) => {
      await mcp.remove(req.params.name);
      await forgetMcpServer(sql, req.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/chats/:chatId/mcp',
    { schema: { params: ChatParams, response: { 200: ChatMcpSettings } } },
    async (req) => {
      if (!(await getChat(sql, req.params.chatId))) throw notFound('chat');
      return { disabledServers: await chatMcpDisabled(sql, req.params.chatId) };
    },
  );

  app.put(
    '/api/chats/:chatId/mcp/:name',
    { schema: { params: ChatMcpParams, body: SetChatMcpBody } },
    async (req, reply) => {
      if (!(await getChat(sql, req.params.chatId))) throw notFound('chat');
      await setChatMcpServer(sql, req.params.chatId, req.params.name, req.body.enabled);
      return reply.code(204).send();
    },
  );
};
