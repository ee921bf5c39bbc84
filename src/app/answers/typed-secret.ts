import { CodedError, ErrorCode } from '../../errors';

/**
 * A secret typed where others read it (a channel, a group chat, or a conversation of unknown type) is refused
 * before anything else is looked at: nothing is requested, and the refusal never repeats the secret.
 */
export function typedSecretRefused(circuit: string): CodedError {
  return new CodedError(
    ErrorCode.Refused,
    'You typed an MD5 key where others can read it, so I did not request anything. Treat that key as exposed and choose a new one.',
    {
      hint: [
        'Use the form (',
        { say: 'change', args: [circuit] },
        '): its key field is masked and never posted. Or type the command in a 1:1 chat with the bot.',
      ],
    },
  );
}
