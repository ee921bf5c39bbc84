import type { AdaptiveCardJson } from '../cards/card-kit';

/** What an answer becomes before it is turned into an activity: an Adaptive Card, or a line of text. */
export type Reply =
  | { kind: 'card'; card: AdaptiveCardJson; /** for notifications and screen readers */ summary: string }
  | { kind: 'text'; text: string };

export const textReply = (text: string): Reply => ({ kind: 'text', text });
export const cardReply = (card: AdaptiveCardJson, summary: string): Reply => ({ kind: 'card', card, summary });
