/** A query Resource Graph would refuse; `position` is the 0-based offset in the query text. */
export class KqlError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly token = '',
    /** ARG's detail code: ParserFailure for syntax, others for semantics. */
    readonly detailCode = 'ParserFailure',
  ) {
    super(message);
  }
}
