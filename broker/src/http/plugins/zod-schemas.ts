import fp from 'fastify-plugin';
import type { z } from 'zod';

/**
 * Route schemas are the contract's zod schemas (`contract/src/broker-api.ts`): a request part is
 * parsed with its schema, and an answer is parsed with its schema before it is written, so the
 * broker sends exactly what its clients parse and no field the schema does not name.
 */
export const zodSchemasPlugin = fp(
  async (app) => {
    app.setValidatorCompiler(({ schema }) => (data) => {
      const parsed = (schema as z.ZodType).safeParse(data);
      return parsed.success ? { value: parsed.data } : { error: parsed.error };
    });
    app.setSerializerCompiler(
      ({ schema }) =>
        (data) =>
          JSON.stringify((schema as z.ZodType).parse(data)),
    );
  },
  { name: 'linkboard-zod-schemas' },
);
