import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import {
  CreateTerminalBody,
  RenameTerminalBody,
  ResizeTerminalBody,
  Terminal,
  TerminalList,
  TerminalParams,
  TerminalWsQuery,
} from '@boocode/protocol';
import type { TerminalService } from '../terminal-service.ts';

export const terminalRoutes: FastifyPluginAsyncZod<{ terminals: TerminalService }> = async (
  app,
  { terminals },
) => {
  app.get('/api/term/terminals', { schema: { response: { 200: TerminalList } } }, async () => ({
    terminals: await terminals.list(),
  }));

  app.post(
    '/api/term/terminals',
    { schema: { body: CreateTerminalBody, response: { 201: Terminal } } },
    async (req, reply) => reply.code(201).send(await terminals.create(req.body)),
  );

  app.patch(
    '/api/term/terminals/:terminalId',
    { schema: { params: TerminalParams, body: RenameTerminalBody, response: { 200: Terminal } } },
    async (req) => terminals.rename(req.params.terminalId, req.body.title),
  );

  app.post(
    '/api/term/terminals/:terminalId/resize',
    { schema: { params: TerminalParams, body: ResizeTerminalBody, response: { 200: Terminal } } },
    async (req) => terminals.resize(req.params.terminalId, req.body.cols, req.body.rows),
  );

  app.delete(
    '/api/term/terminals/:terminalId',
    { schema: { params: TerminalParams } },
    async (req, reply) => {
      await terminals.kill(req.params.terminalId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/term/terminals/:terminalId/ws',
    { websocket: true, schema: { params: TerminalParams, querystring: TerminalWsQuery } },
    (socket: WebSocket, req) => {
      terminals.attach(socket, req.params.terminalId, req.query).catch((err: unknown) => {
        req.log.warn({ err }, 'terminal attach failed');
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify({ type: 'terminal.error', message: 'Could not attach.' }));
          socket.close(1011, 'attach failed');
        }
      });
    },
  );
};
