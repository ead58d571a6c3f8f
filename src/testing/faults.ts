/** The fault queue: faults a test queues, consumed in order by the next matching requests. */
import { validateHeaderName, validateHeaderValue } from "node:http";
import { isProviderName, type ProviderName } from "../providers/names.js";
import type { FakeFault } from "./types.js";

export class FaultQueue {
  private readonly queued: Array<{ fault: FakeFault; remaining: number }> = [];

  get size(): number {
    return this.queued.length;
  }

  /** Checks and copies the fault, so later mutation by the caller cannot change it. */
  push(fault: FakeFault): void {
    validateFault(fault);
    const copy: FakeFault = { ...fault, ...(fault.headers ? { headers: { ...fault.headers } } : {}) };
    this.queued.push({ fault: copy, remaining: fault.times ?? 1 });
  }

  /** The first fault for this provider (or any provider) and method, counting one use of it. */
  take(provider: ProviderName, method: string): FakeFault | undefined {
    for (let i = 0; i < this.queued.length; i++) {
      const queued = this.queued[i]!;
      if (queued.fault.provider !== undefined && queued.fault.provider !== provider) continue;
      const wanted = queued.fault.method ?? "DELETE";
      if (wanted !== "any" && wanted !== method) continue;
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.queued.splice(i, 1);
      return queued.fault;
    }
    return undefined;
  }

  clear(): void {
    this.queued.length = 0;
  }
}

export function validateFault(fault: FakeFault): void {
  if (typeof fault !== "object" || fault === null) throw new TypeError("queueFault: fault must be an object");
  if (fault.provider !== undefined && !isProviderName(fault.provider)) {
    throw new TypeError(`queueFault: unknown provider ${JSON.stringify(fault.provider)}`);
  }
  if (fault.method !== undefined && !["DELETE", "GET", "any"].includes(fault.method)) {
    throw new TypeError('queueFault: method must be "DELETE", "GET" or "any"');
  }
  if (fault.applyDelete && fault.method === "GET") throw new TypeError('queueFault: applyDelete needs a DELETE (method "DELETE" or "any")');
  if (fault.times !== undefined && !(fault.times === Infinity || (Number.isInteger(fault.times) && fault.times >= 1))) {
    throw new TypeError("queueFault: times must be a positive integer (or Infinity)");
  }
  if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
    throw new TypeError("queueFault: delayMs must be a finite number >= 0");
  }
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new TypeError("queueFault: status must be an integer HTTP status (100-599)");
  }
  if (fault.example !== undefined) {
    if (typeof fault.example !== "string" || fault.provider === undefined)
      throw new TypeError("queueFault: example needs a provider and must be an example name");
    if (fault.status !== undefined || fault.body !== undefined) throw new TypeError("queueFault: example brings its own status and body");
  } else if (fault.status === undefined && !fault.drop && (fault.headers !== undefined || fault.body !== undefined)) {
    // Without a status the normal handler answers, so headers/body would be silently ignored.
    throw new TypeError("queueFault: headers/body need a status");
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
}
