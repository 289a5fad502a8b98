/** Invariant checks in TigerBeetle's style: a broken invariant is a bug in the engine, never bad input. */
export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation";
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantViolation(message);
}
