import type {
  ConnectedAccountSummary,
  ConnectStart,
  MyAccountPort,
} from '../../src/connect/my-account';

/**
 * Stands in for the My Account API where a test is about the app's connect logic; it records what
 * the app sent and answers like the real API (a connect ticket, then the account on completion).
 */
export class FakeMyAccount implements MyAccountPort {
  readonly calls: string[] = [];
  accounts: ConnectedAccountSummary[] = [];
  startError: unknown = null;
  completeError: unknown = null;
  lastStart: Parameters<MyAccountPort['startConnect']>[0] | null = null;
  lastComplete: Parameters<MyAccountPort['completeConnect']>[0] | null = null;
  private count = 0;

  constructor(private readonly domain: string) {}

  async startConnect(request: Parameters<MyAccountPort['startConnect']>[0]): Promise<ConnectStart> {
    this.calls.push(`startConnect ${request.connection}`);
    if (this.startError) throw this.startError;
    this.lastStart = request;
    return {
      connectUrl: `https://${this.domain}/connect?ticket=ticket-${++this.count}`,
      authSession: `auth-session-${this.count}`,
    };
  }

  async completeConnect(request: Parameters<MyAccountPort['completeConnect']>[0]): Promise<void> {
    this.calls.push('completeConnect');
    if (this.completeError) throw this.completeError;
    this.lastComplete = request;
    const connection = this.lastStart?.connection ?? 'unknown';
    this.accounts.push({ id: `cac_${this.count}`, connection });
  }

  async connectedAccounts(): Promise<ConnectedAccountSummary[]> {
    this.calls.push('connectedAccounts');
    return [...this.accounts];
  }

  async disconnect(id: string): Promise<void> {
    this.calls.push(`disconnect ${id}`);
    this.accounts = this.accounts.filter((account) => account.id !== id);
  }
}
