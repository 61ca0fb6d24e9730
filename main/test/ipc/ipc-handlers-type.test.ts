import { ipcChannels, type IpcChannel, type IpcParsedRequest } from '@linkboard/contract';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ipcHandlers } from '../../src/ipc/ipc-handlers.js';
import type { IpcHandlers } from '../../src/ipc/ipc-registry.js';

// Checked by `tsc -b` (npm run typecheck) as much as by vitest: each `@ts-expect-error` below
// fails the type check if the line under it ever compiles, so a handler object that misses a
// channel, names one the contract does not have, or answers outside a channel's response type
// cannot be handed to the registry.

/** Any complete handler object, built from the map so this file names no channel list. */
function completeHandlers(): IpcHandlers {
  return Object.fromEntries(
    Object.keys(ipcChannels).map((channel) => [channel, () => ({})]),
  ) as unknown as IpcHandlers;
}

describe('the IPC handler object (type level)', () => {
  it('main wires exactly the channels of the map', () => {
    expectTypeOf<keyof ReturnType<typeof ipcHandlers>>().toEqualTypeOf<IpcChannel>();
    expectTypeOf<ReturnType<typeof ipcHandlers>>().toExtend<IpcHandlers>();
  });

  it('refuses a missing channel, an extra channel and an answer outside the contract', () => {
    const complete = completeHandlers();
    const { 'app:installUpdate': _installUpdate, ...missingOne } = complete;
    // @ts-expect-error -- 'app:installUpdate' has no handler
    const missing: IpcHandlers = missingOne;

    const extra = {
      ...complete,
      // @ts-expect-error -- not a channel of the contract
      'shell:exec': () => ({}),
    } satisfies IpcHandlers;

    const wrongAnswer = {
      ...complete,
      // @ts-expect-error -- app:info must answer AppInfo
      'app:info': () => ({ unexpected: true }),
    } satisfies IpcHandlers;

    // Handlers receive the parsed request: `query` is always present on broker:request.
    expectTypeOf<IpcParsedRequest<'broker:request'>['query']>().toEqualTypeOf<
      Record<string, string>
    >();
    expect([missing, extra, wrongAnswer].every((handlers) => typeof handlers === 'object')).toBe(
      true,
    );
  });
});
