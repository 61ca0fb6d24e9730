import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createGenerator } from 'ts-json-schema-generator';

const require = createRequire(import.meta.url);

/** A check of one response body against a published schema: the problems, none when it fits. */
export type BodyCheck = (body: unknown) => string[];

/**
 * One Ajv for every published schema: OpenAPI 3.0's `nullable` is Ajv's own keyword; the specs'
 * other annotations (`example`, `x-github`…) are not keywords, so strict mode is off; formats
 * (`date-time`, `uri`, `email`) are checked.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats.default(ajv);
  return ajv;
}

function explain(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (error) =>
      `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

function checkWith(validate: ValidateFunction): BodyCheck {
  return (body) => (validate(body) ? [] : explain(validate.errors));
}

interface OpenApiSchema {
  $ref?: string;
  oneOf?: OpenApiSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

/** GitHub's REST API description as `@octokit/openapi` publishes it (api.github.com, OpenAPI 3.0). */
export class GithubOpenApi {
  readonly #ajv = createAjv();

  constructor() {
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    this.#ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as object, 'github');
  }

  /**
   * The check of a `GET` operation's 200 answer in `mediaType`. A `oneOf` with a discriminator
   * (`/user`: private or public user, told apart by `user_view_type`) is checked against the one
   * schema the body's discriminator value names, as a client following the spec would read it.
   */
  response(path: string, mediaType = 'application/json'): BodyCheck {
    const pointer = `#/paths/${escape(path)}/get/responses/200/content/${escape(mediaType)}/schema`;
    const schema = this.#ajv.getSchema(`github${pointer}`)?.schema as OpenApiSchema | undefined;
    if (!schema) throw new Error(`@octokit/openapi has no 200 ${mediaType} answer for GET ${path}`);
    const { discriminator, oneOf } = schema;
    if (!discriminator?.mapping || !oneOf)
      return checkWith(this.#ajv.compile({ $ref: `github${pointer}` }));
    const byValue = new Map(
      Object.entries(discriminator.mapping).map(([value, ref]) => [
        value,
        checkWith(this.#ajv.compile({ $ref: `github${ref}` })),
      ]),
    );
    return (body) => {
      const value = (body as Record<string, unknown> | null)?.[discriminator.propertyName];
      const check = typeof value === 'string' ? byValue.get(value) : undefined;
      if (!check) {
        return [
          `${discriminator.propertyName} is ${JSON.stringify(value)}, not one of ${[...byValue.keys()].join(', ')}`,
        ];
      }
      return check(body);
    };
  }
}

/** A JSON pointer segment. */
function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** What a provider's response carries every time, by type name, and the types it nests. */
export type RequiredFields = Record<string, readonly string[]>;

/**
 * JSON Schemas derived from a provider's published TypeScript types (their declarations say the
 * type of every property, and nothing about which are always present), made strict: a property the
 * type does not declare is refused, and `required` names what the provider's reference says a
 * response always carries. `extraKeys` are keys a type does not declare but every answer may carry
 * (Graph's `@odata.*` annotations).
 */
export class TypeSchemas {
  readonly #ajv = createAjv();
  readonly #definitions: Record<string, Record<string, unknown>>;
  readonly #extraKeys: RegExp | undefined;

  constructor(options: {
    /** The package and its declaration file, e.g. `@googleapis/calendar` and `build/v3.d.ts`. */
    declarations: { package: string; file: string };
    types: readonly string[];
    required: RequiredFields;
    /** Further rules a reference states for a type (Google: a time has `date` or `dateTime`). */
    constraints?: Record<string, Record<string, unknown>>;
    extraKeys?: RegExp;
  }) {
    const generator = createGenerator({
      path: join(
        dirname(require.resolve(`${options.declarations.package}/package.json`)),
        options.declarations.file,
      ),
      skipTypeCheck: true,
      expose: 'all',
      topRef: false,
      additionalProperties: false,
    });
    const definitions: Record<string, Record<string, unknown>> = {};
    for (const type of options.types) {
      const schema = generator.createSchema(type) as {
        definitions?: Record<string, Record<string, unknown>>;
      } & Record<string, unknown>;
      const { definitions: nested = {}, $schema: _, ...own } = schema;
      Object.assign(definitions, nested, { [type]: own });
    }
    for (const [name, definition] of Object.entries(definitions)) {
      const required = options.required[name];
      if (required) {
        const properties = (definition.properties ?? {}) as Record<string, unknown>;
        const undeclared = required.filter((key) => !(key in properties));
        if (undeclared.length > 0) {
          throw new Error(
            `${name} does not declare ${undeclared.join(', ')}: fix the required list`,
          );
        }
        definition.required = [...required];
      }
      Object.assign(definition, options.constraints?.[name]);
      if (
        options.extraKeys &&
        definition.type === 'object' &&
        definition.additionalProperties === false
      ) {
        definition.patternProperties = { [options.extraKeys.source]: {} };
      }
    }
    for (const name of [
      ...Object.keys(options.required),
      ...Object.keys(options.constraints ?? {}),
    ]) {
      if (!definitions[name]) throw new Error(`no type ${name} in ${options.declarations}`);
    }
    this.#definitions = definitions;
    this.#extraKeys = options.extraKeys;
    this.#ajv.addSchema({ definitions }, 'types');
  }

  /**
   * The check of a body of this type. `required` adds what this answer must carry (Graph's
   * `$select` decides it); `collection` names the member of a page that holds the items (Graph's
   * `value`), the page itself allowing only that member and `extraKeys`.
   */
  check(
    type: string,
    options: { required?: readonly string[]; collection?: string } = {},
  ): BodyCheck {
    if (!this.#definitions[type]) throw new Error(`no schema for ${type}`);
    const ref = { $ref: `types#/definitions/${encodeURIComponent(type)}` };
    const item = options.required ? { allOf: [ref, { required: [...options.required] }] } : ref;
    const schema = options.collection
      ? {
          type: 'object',
          required: [options.collection],
          properties: { [options.collection]: { type: 'array', items: item } },
          ...(this.#extraKeys ? { patternProperties: { [this.#extraKeys.source]: {} } } : {}),
          additionalProperties: false,
        }
      : item;
    return checkWith(this.#ajv.compile(schema));
  }

  /** The schema itself, for a test to show what it checks. */
  definition(type: string): Record<string, unknown> | undefined {
    return this.#definitions[type];
  }
}
