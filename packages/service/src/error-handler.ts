import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '@boocode/protocol';

export interface ErrorHandlerOptions {
  /** Answers an unknown non-API GET (the web app routes by path); absent = 404. */
  spaFallback?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>;
}

/** One place turns every failure into `{ code, message }`; 5xx details stay in the log. */
export function registerErrorHandler(app: FastifyInstance, opts: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, err.message);
      return reply.code(err.status).send({ code: err.code, message: err.message });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const where = first?.instancePath
        ? `${first.instancePath.slice(1).replaceAll('/', '.')}: `
        : '';
      return reply
        .code(400)
        .send({ code: 'bad_request', message: `${where}${first?.message ?? 'invalid request'}` });
    }
    if (isDatabaseDown(err)) {
      req.log.warn({ err }, 'the database is not answering');
      const down = databaseUnavailable();
      return reply.code(down.status).send({ code: down.code, message: down.message });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) {
      const code = status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'bad_request';
      return reply.code(status).send({ code, message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply
      .code(500)
      .send({ code: 'internal', message: 'Something went wrong on the server.' });
  });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes by path (/c/<id>): unknown non-API pages get its index.html.
    if (opts.spaFallback && req.method === 'GET' && !req.url.startsWith('/api')) {
      return opts.spaFallback(req, reply);
    }
    return reply
      .code(404)
      .send({ code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` });
  });
}

/**
 * What postgres.js throws when it cannot reach the server (refused, reset, closed, timed out)
 * and PostgreSQL's own "shutting down / starting up / connection failure" classes (57P0x, 08xxx).
 */
const DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** The error a user reads while PostgreSQL is down: what happened, and that it passes. */
export function databaseUnavailable(): AppError {
  return new AppError(
    'database_unavailable',
    'The database is not answering (it may be restarting). Try again in a moment.',
  );
}

export function isDatabaseDown(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (DOWN_CODES.has(code) || code.startsWith('08'));
}
