/** The codes of a governance body's (Gremium) refusals (`BODY.…`). */
export enum BodyError {
  NOT_FOUND = 'BODY.NOT_FOUND',
}
