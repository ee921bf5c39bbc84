import { randomUUID } from 'node:crypto';

/** A Teams message from a person of the demo or bench directory, as Bot Framework posts it. */
export function activity(serviceUrl: string, text: string, user = 'demo-oncall') {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: `29:${user}`, name: user, aadObjectId: user },
    conversation: { id: `a:bench-${user}`, conversationType: 'personal' },
    recipient: { id: '28:bot', name: 'bot' },
    text,
  };
}
