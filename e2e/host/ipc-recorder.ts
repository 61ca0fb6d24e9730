import type { IpcSender } from '../../main/src/services/index.js';

export type { IpcSender };

/** One IPC call or event as it crossed the bridge, for the leak check and for failure reports. */
export type IpcRecord =
  | {
      kind: 'invoke';
      windowId: number;
      channel: string;
      payload: unknown;
      sender: IpcSender;
      response: unknown;
      at: number;
    }
  | { kind: 'event'; windowId: number; channel: string; args: unknown[]; at: number };

/** Every request, response and event of a run, across windows. */
export class IpcRecorder {
  readonly records: IpcRecord[] = [];

  add(record: IpcRecord): void {
    this.records.push(record);
  }

  /** Invocations of one channel, oldest first. */
  invocations(channel: string): Extract<IpcRecord, { kind: 'invoke' }>[] {
    return this.records.filter(
      (r): r is Extract<IpcRecord, { kind: 'invoke' }> =>
        r.kind === 'invoke' && r.channel === channel,
    );
  }

  /** All of it as text, what the leak scanner reads. */
  toText(): string {
    return JSON.stringify(this.records);
  }
}
