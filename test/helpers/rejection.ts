/** The ContactkitError a call rejects with (fails the test if it resolves or throws anything else). No nock here: importing nock patches `globalThis.fetch`. */
import { expect } from "vitest";
import { isContactkitError, type ContactkitError } from "../../src/index.js";

export async function rejection(promise: Promise<unknown>): Promise<ContactkitError> {
  try {
    await promise;
  } catch (error) {
    expect(isContactkitError(error), `expected a ContactkitError, got ${String(error)}`).toBe(true);
    return error as ContactkitError;
  }
  throw new Error("expected the call to reject");
}
