import type { AdaptiveCardJson } from '../cards/card-kit';

/** What an answer becomes before it is turned into an activity: an Adaptive Card, or a line of text. */
/**
 * A card that shows a change request and must be kept current: once delivered, the bot records where it is so
 * that every transition updates it. `announce` also posts it to the approvers and the approvals channel.
 */
export interface TrackedRequest {
  requestId: string;
  /** The request's version the card was built from; a newer one by delivery time triggers an update. */
  version: number;
  announce?: boolean;
}

export type Reply =
  | {
      kind: 'card';
      card: AdaptiveCardJson;
      /** for notifications and screen readers */
      summary: string;
      track?: TrackedRequest;
      /**
       * A newer answer on its way (e.g. "live from the routers" after a first answer from Azure Monitor): once it
       * resolves it replaces this card in place. A failed follow-up leaves this card as it is.
       */
      then?: Promise<Reply>;
      /** Epoch ms of the data behind the card; an update never replaces a card with older data. */
      asOf?: number;
    }
  | { kind: 'text'; text: string };

export const textReply = (text: string): Reply => ({ kind: 'text', text });
export const cardReply = (card: AdaptiveCardJson, summary: string): Reply => ({ kind: 'card', card, summary });
