import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ArenaDiff,
  ArenaDiffParams,
  ArenaList,
  ArenaParams,
  ArenaQuery,
  ArenaReply,
  PickBody,
  StartArenaBody,
} from '@boocode/protocol';
import type { Arenas } from '../agents/arenas.ts';

/** The Arena under /api/coder: start, list, show, an entrant's diff, and the pick. */
export const arenaRoutes: FastifyPluginAsyncZod<{ arenas: Arenas }> = async (app, { arenas }) => {
  app.post(
    '/api/coder/arenas',
    { schema: { body: StartArenaBody, response: { 201: ArenaReply } } },
    async (req, reply) => reply.code(201).send({ arena: await arenas.start(req.body) }),
  );

  app.get(
    '/api/coder/arenas',
    { schema: { querystring: ArenaQuery, response: { 200: ArenaList } } },
    async (req) => ({ arenas: await arenas.list(req.query.chatId) }),
  );

  app.get(
    '/api/coder/arenas/:arenaId',
    { schema: { params: ArenaParams, response: { 200: ArenaReply } } },
    async (req) => ({ arena: await arenas.get(req.params.arenaId) }),
  );

  app.get(
    '/api/coder/arenas/:arenaId/diff/:sessionId',
    { schema: { params: ArenaDiffParams, response: { 200: ArenaDiff } } },
    async (req) => arenas.diff(req.params.arenaId, req.params.sessionId),
  );

  app.post(
    '/api/coder/arenas/:arenaId/pick',
    { schema: { params: ArenaParams, body: PickBody, response: { 200: ArenaReply } } },
    async (req) => ({ arena: await arenas.pick(req.params.arenaId, req.body.sessionId) }),
  );
};
