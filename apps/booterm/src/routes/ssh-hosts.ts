import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateSshHostBody,
  notFound,
  SshHost,
  SshHostList,
  SshHostParams,
  UpdateSshHostBody,
} from '@boocode/protocol';
import { deleteSshHost, insertSshHost, listSshHosts, updateSshHost, type Sql } from '@boocode/db';

export const sshHostRoutes: FastifyPluginAsyncZod<{ sql: Sql }> = async (app, { sql }) => {
  app.get('/api/term/ssh-hosts', { schema: { response: { 200: SshHostList } } }, async () => ({
    hosts: await listSshHosts(sql),
  }));

  app.post(
    '/api/term/ssh-hosts',
    { schema: { body: CreateSshHostBody, response: { 201: SshHost } } },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await insertSshHost(sql, { ...req.body, identityFile: req.body.identityFile ?? null }),
        ),
  );

  app.patch(
    '/api/term/ssh-hosts/:sshHostId',
    { schema: { params: SshHostParams, body: UpdateSshHostBody, response: { 200: SshHost } } },
    async (req) => {
      const host = await updateSshHost(sql, req.params.sshHostId, req.body);
      if (!host) throw notFound('SSH host');
      return host;
    },
  );

  app.delete(
    '/api/term/ssh-hosts/:sshHostId',
    { schema: { params: SshHostParams } },
    async (req, reply) => {
      if (!(await deleteSshHost(sql, req.params.sshHostId))) {
        throw notFound('SSH host');
      }
      return reply.code(204).send();
    },
  );
};
