import { describe, expect, it, vi } from "vitest";
import { createContactsClient } from "../../src/index.js";

// Users test their own timeout handling with fake timers; some fake `setTimeout` and not
// `performance`. Shared deadline slots must keep timing a hung call out when the timers advance.
describe("timeouts under a user's fake timers", () => {
  for (const toFake of [undefined, ["setTimeout", "clearTimeout", "Date"]] as const) {
    it(`a hung fetch times out under vi.useFakeTimers(${JSON.stringify(toFake)})`, async () => {
      vi.useFakeTimers(toFake ? { toFake: [...toFake] } : undefined);
      try {
        const crm = createContactsClient({
          provider: "hubspot",
          accessToken: "pat-na1-00000000-0000-0000-0000-000000000000",
          fetch: () => new Promise(() => {}),
          timeoutMs: 1000,
          maxRetries: 0,
        } as never);
        let settled: unknown = "pending";
        crm.deleteContact("123", { verify: false }).then(
          (r) => (settled = r),
          (e) => (settled = e.code),
        );
        await vi.advanceTimersByTimeAsync(1100);
        expect(settled).toBe("timeout");
      } finally {
        vi.useRealTimers();
      }
    });
  }
});
