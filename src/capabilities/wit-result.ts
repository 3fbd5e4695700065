// How a host function answers a WIT `result`: the ok value is returned, the
// err value is thrown wrapped in an object with an own `payload` (what jco's
// glue, every version, lowers as the err case). Not an Error: no stack to
// capture, and the glue would take an Error for a trap.
export class WitErr {
  constructor(readonly payload: unknown) {}
}

export function witErr(payload: unknown): never {
  throw new WitErr(payload);
}
