/** Who is talking, from the activity (never from card data). */
export interface Who {
  aadObjectId: string;
  name: string;
  /** personal | groupChat | channel */
  conversationType: string;
  /** The conversation's id as the activity gave it (a channel's thread adds `;messageid=…`). */
  conversationId: string;
  /** Teams' id for the user in this conversation (29:…), for user-specific card views. */
  teamsUserId?: string;
  /** The conversation reference of the turn (opaque here), for proactive cards and channel registration. */
  reference?: Record<string, unknown>;
}

/**
 * The conversation that customer links belong to. A Teams channel's threads are `19:…@thread.tacv2;messageid=…`:
 * every thread of a channel is the channel, whose members read them all.
 */
export function roomIdOf(conversationId: string): string {
  return conversationId.replace(/;messageid=[^;]*$/i, '');
}
