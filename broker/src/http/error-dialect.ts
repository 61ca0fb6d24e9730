import {
  PROBLEM_CONTENT_TYPE,
  PROXY_PREFIX,
  type ErrorDialect,
  type Problem,
} from '@linkboard/contract';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';

/** Google's canonical status names for the HTTP statuses the broker answers (google.rpc.Code). */
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  408: 'DEADLINE_EXCEEDED',
  413: 'OUT_OF_RANGE',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNKNOWN',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Whether `Accept` names `application/problem+json` (with a non-zero weight). */
export function acceptsProblemJson(accept: string | string[] | undefined): boolean {
  const text = (Array.isArray(accept) ? accept.join(',') : accept)?.toLowerCase();
  // Most callers name no problem type at all: they are answered without splitting anything.
  if (!text || !text.includes(PROBLEM_CONTENT_TYPE)) return false;
  return text.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';');
    if (type.trim() !== PROBLEM_CONTENT_TYPE) return false;
    const weight = parameters.find((p) => p.trim().startsWith('q='));
    return weight === undefined || Number(weight.trim().slice(2)) > 0;
  });
}

/**
 * The dialect of a refusal: the provider's own on `/v1/idp/{connection}/…`, unless the caller
 * asked for problem details; `problem` everywhere else (docs/architecture.md#errors-in-the-callers-dialect).
 */
export function dialectFor(
  url: string,
  accept: string | string[] | undefined,
  providers: ReadonlyMap<string, CompiledProvider>,
): ErrorDialect {
  if (!url.startsWith(PROXY_PREFIX)) return 'problem';
  const end = url.slice(PROXY_PREFIX.length).search(/[/?]/);
  const connection = url.slice(
    PROXY_PREFIX.length,
    end < 0 ? undefined : PROXY_PREFIX.length + end,
  );
  const dialect = providers.get(connection)?.entry.errorDialect ?? 'problem';
  if (dialect === 'problem' || acceptsProblemJson(accept)) return 'problem';
  return dialect;
}

/** A refusal's body and media type in `dialect`; the broker's `code` and `requestId` in each. */
export function renderInDialect(
  dialect: ErrorDialect,
  problem: Problem,
): { contentType: string; body: string } {
  if (dialect === 'problem') {
    return { contentType: PROBLEM_CONTENT_TYPE, body: JSON.stringify(problem) };
  }
  const message = problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
  const broker = {
    code: problem.code,
    requestId: problem.requestId,
    ...(problem.connect ? { connect: problem.connect } : {}),
  };
  let body: unknown;
  switch (dialect) {
    case 'github':
      body = {
        message,
        documentation_url: problem.type,
        status: String(problem.status),
        ...broker,
      };
      break;
    case 'google':
      body = {
        error: {
          code: problem.status,
          message,
          status:
            GOOGLE_STATUS[problem.status] ??
            (problem.status < 500 ? 'FAILED_PRECONDITION' : 'INTERNAL'),
          errors: [{ message, domain: 'linkboard', reason: problem.code }],
        },
        ...broker,
      };
      break;
    case 'graph':
      body = {
        error: {
          code: problem.code,
          message,
          innerError: { date: new Date().toISOString(), 'request-id': problem.requestId },
        },
        ...broker,
      };
      break;
    case 'bitbucket':
      body = { type: 'error', error: { message, data: broker }, ...broker };
      break;
  }
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}
