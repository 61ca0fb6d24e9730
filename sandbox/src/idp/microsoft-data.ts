import { deterministicRandom } from '../tenant/deterministic-random.js';
import type { SeededIdentity, SeededUser } from '../tenant/seed.js';

/** Deterministic Microsoft Graph data for a seeded identity: profile and mailbox. */
export interface MicrosoftAccountData {
  me: Record<string, unknown>;
  messages: Record<string, unknown>[];
}

const SENDERS = [
  { name: 'Contoso Travel', address: 'bookings@contoso.example' },
  { name: 'Fabrikam Billing', address: 'billing@fabrikam.example' },
  { name: 'Megan Bowen', address: 'megan@northwind.example' },
  { name: 'Adele Vance', address: 'adele@northwind.example' },
  { name: 'Project Updates', address: 'noreply@tailspin.example' },
];
const SUBJECTS = [
  'Your itinerary for next week',
  'Invoice available',
  'Re: Quarterly plan',
  'Lunch on Thursday?',
  'Weekly project digest',
  'Action required: review the draft',
  'Photos from the weekend',
  'Meeting notes',
];
const PREVIEWS = [
  'Hi, here is the summary we talked about. Let me know if anything is missing.',
  'Your monthly statement is ready to view.',
  'Thanks for the quick turnaround on this one!',
  'Attached are the notes from today. Next steps are at the bottom.',
];

const MINUTE_MS = 60_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An id-shaped, obviously made-up string of Graph's base64 ids from a seed text. */
function graphId(prefix: string, seed: string): string {
  return `${prefix}${Buffer.from(seed).toString('base64url')}`;
}

/**
 * The properties Graph returns for a message besides those drawn above (the message resource's
 * defaults on `GET /me/messages`): a conversation per subject, an HTML body, recipients lists, the
 * follow-up flag. Derived, not drawn, so the seeded messages keep their values.
 */
function messageDetails(
  id: string,
  index: number,
  subject: string,
  preview: string,
  sentMs: number,
  sender: { name: string; address: string },
): Record<string, unknown> {
  const thread = subject.replace(/^Re: /, '');
  const domain = sender.address.split('@')[1] ?? 'example.com';
  return {
    changeKey: `CQAAABYAAAD${String(index).padStart(4, '0')}`,
    categories: [],
    internetMessageId: `<${id.slice(-12).toLowerCase()}.${sentMs}@${domain}>`,
    parentFolderId: graphId('AQMkAD', 'sandbox-inbox'),
    conversationId: graphId('AAQkAD', `conversation:${thread}`),
    conversationIndex: Buffer.from(`${thread}:${index}`).toString('base64'),
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    inferenceClassification: 'focused',
    body: {
      contentType: 'html',
      content: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><p>${preview}</p><p>${sender.name}</p></body></html>`,
    },
    ccRecipients:
      index % 4 === 0
        ? [{ emailAddress: { name: 'Team Inbox', address: 'team@example.com' } }]
        : [],
    bccRecipients: [],
    replyTo: [],
    flag: { flagStatus: index % 7 === 0 ? 'flagged' : 'notFlagged' },
  };
}

export function microsoftAccountFor(
  user: SeededUser,
  identity: SeededIdentity,
  now: number,
  apiBase: string,
): MicrosoftAccountData {
  const random = deterministicRandom(`graph:${identity.login}`);
  const hourStart = now - (now % (60 * MINUTE_MS));
  const messages: Record<string, unknown>[] = [];
  let received = hourStart;
  for (let index = 0; index < 30; index += 1) {
    received -= random.int(20, 600) * MINUTE_MS;
    const sender = random.pick(SENDERS);
    const id = `AAMkAD${identity.userId}${String(index).padStart(4, '0')}`;
    // The draws stay in this order so every seeded message keeps its values.
    const message: Record<string, unknown> = {
      '@odata.etag': `W/"CQAAABYAAAC${index}"`,
      id,
      createdDateTime: iso(received),
      lastModifiedDateTime: iso(received + MINUTE_MS),
      receivedDateTime: iso(received),
      sentDateTime: iso(received - MINUTE_MS),
      hasAttachments: random.next() < 0.2,
      subject: random.pick(SUBJECTS),
      bodyPreview: random.pick(PREVIEWS),
      importance: random.next() < 0.1 ? 'high' : 'normal',
      isRead: random.next() < 0.6,
      isDraft: false,
      webLink: `https://outlook.live.com/owa/?ItemID=${id}&exvsurl=1&viewmodel=ReadMessageItem`,
      from: { emailAddress: sender },
      sender: { emailAddress: sender },
      toRecipients: [{ emailAddress: { name: user.name, address: identity.login } }],
    };
    messages.push({
      ...message,
      ...messageDetails(
        id,
        index,
        String(message.subject),
        String(message.bodyPreview),
        received - MINUTE_MS,
        sender,
      ),
    });
  }
  return {
    me: {
      '@odata.context': `${apiBase}/v1.0/$metadata#users/$entity`,
      businessPhones: [],
      displayName: user.name,
      givenName: user.givenName,
      jobTitle: null,
      mail: identity.login,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: 'en-US',
      surname: user.familyName,
      userPrincipalName: identity.login,
      id: identity.userId,
    },
    messages,
  };
}
