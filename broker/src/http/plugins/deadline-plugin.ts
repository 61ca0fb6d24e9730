import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { BrokerError } from '../../errors/broker-error.js';
import { RequestDeadline } from '../../upstream/deadline.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on arrival in scopes that register the deadline plugin. */
    deadline: RequestDeadline | undefined;
  }
}

/** The deadline of a request in a scope that registers the deadline plugin. */
export function deadlineOf(request: FastifyRequest): RequestDeadline {
  if (!request.deadline) throw new BrokerError('internal_error', 'the request has no deadline');
  return request.deadline;
}

/** Gives each request of the scope its deadline on arrival, before the caller's token is checked. */
export const deadlinePlugin = fp<{ budgetMs: number }>(
  async (app, { budgetMs }) => {
    app.decorateRequest('deadline', undefined);
    app.addHook('onRequest', (request, _reply, done) => {
      request.deadline = new RequestDeadline(budgetMs);
      done();
    });
    // Answered (its body sent, streamed ones included): the deadline's timer goes.
    app.addHook('onResponse', (request, _reply, done) => {
      request.deadline?.end();
      done();
    });
  },
  { name: 'linkboard-deadline' },
);
