/** The fake's options (`startFakeProviders(options)`), checked and turned into the engine's settings. */
import { mergeCredentials } from "./credentials.js";
import type { FakeProvidersOptions } from "./types.js";

export type FakeSettings = ReturnType<typeof readOptions>;

/** The options, checked. */
export function readOptions(options: FakeProvidersOptions) {
  const seedCount = options.seedCount ?? 5;
  if (!Number.isInteger(seedCount) || seedCount < 0) throw new TypeError("seedCount must be a non-negative integer");
  const rateOption = options.rateLimit as { perSecond?: number; limit?: number; windowMs?: number } | undefined;
  const perSecond = rateOption ? (rateOption.perSecond ?? rateOption.limit) : undefined;
  const windowMs = rateOption?.perSecond !== undefined ? 1000 : (rateOption?.windowMs ?? 1000);
  if (perSecond !== undefined && !(Number.isInteger(perSecond) && perSecond >= 1)) {
    throw new TypeError("rateLimit.perSecond (or limit) must be a positive integer");
  }
  if (!(Number.isInteger(windowMs) && windowMs >= 1000 && windowMs % 1000 === 0)) {
    throw new TypeError("rateLimit.windowMs must be a whole number of seconds");
  }
  return {
    seedCount,
    perSecond,
    windowMs,
    anyMode: (options.contacts ?? "seeded") === "any",
    cors: options.cors === true,
    record: options.record !== false,
    credentials: mergeCredentials(options.credentials),
    answerDelay: delayChooser(options.answerDelayMs),
  };
}

function delayChooser(option: FakeProvidersOptions["answerDelayMs"]): () => number {
  if (option === undefined) return () => 0;
  const { min, max } = typeof option === "number" ? { min: option, max: option } : option;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new TypeError("answerDelayMs must be a number >= 0 or { min, max } with 0 <= min <= max");
  }
  return () => min + Math.random() * (max - min);
}
