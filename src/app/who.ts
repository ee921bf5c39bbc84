/** Who is talking, from the activity (never from card data). */
export interface Who {
  aadObjectId: string;
  name: string;
  /** personal | groupChat | channel */
  conversationType: string;
  /** Teams' id for the user in this conversation (29:…), for user-specific card views. */
  teamsUserId?: string;
  /** The conversation reference of the turn (opaque here), for proactive cards and channel registration. */
  reference?: Record<string, unknown>;
}
