import { CodedError, ErrorCode } from '../../errors';
import type { AnswerContext, ChangeContext } from './answer-context';

/** What the change-request answers need, or a refusal when the bot runs without a change store. */
export function changesOf(context: AnswerContext): ChangeContext {
  if (context.changes) return context.changes;
  throw new CodedError(ErrorCode.Config, 'Change requests are not switched on in this bot.', {
    hint: 'The bot was started without its change store; ask its operator.',
  });
}
