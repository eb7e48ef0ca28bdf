// An error with a control-contract code ("node 4 does not exist" is NOT_FOUND, "node 2 is already
// paused" INVALID_STATE): thrown by the supervisor, sent by the control endpoint as
// `{ error: { code, message } }` and printed by `samsa node` as is.

import type { ControlErrorCode } from '../../main/contract/control.ts';

export class ControlError extends Error {
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}
