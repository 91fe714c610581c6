/** A step that did not do what it says; `retriable` is false when another attempt cannot change that. */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  constructor(
    message: string,
    readonly retriable = true,
  ) {
    super(message);
  }
}
