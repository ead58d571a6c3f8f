/** The fake's optional server-side rate limit: one fixed window per provider (1 s unless set). */
import type { ProviderName } from "../providers/names.js";
import type { RateWindow } from "../tooling.js";
import { rulesOf, type CompiledProvider } from "./compile.js";

export class RateWindows {
  private readonly windows = new Map<ProviderName, { start: number; count: number }>();

  /** `perSecond` requests per `windowMs` (named for the one-second default). */
  constructor(
    private readonly perSecond: number | undefined,
    private readonly windowMs = 1000,
  ) {}

  /** Counts the request in its provider's window: the headers to send, and whether it is over. */
  count(p: CompiledProvider): { limited: boolean; headers: Record<string, string> } | undefined {
    const { perSecond, windowMs } = this;
    if (perSecond === undefined) return undefined;
    const now = Date.now();
    let w = this.windows.get(p.name);
    // Windows start on multiples of their length of wall-clock time, as real fixed-window limiters
    // do, so an epoch-style reset (whole seconds) names the true end of the window.
    const start = Math.floor(now / windowMs) * windowMs;
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(p.name, w);
    }
    w.count += 1;
    const limited = w.count > perSecond;
    const resetMs = w.start + windowMs - now;
    const window: RateWindow = {
      limit: perSecond,
      remaining: Math.max(0, perSecond - w.count),
      resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      resetAt: Math.ceil((w.start + windowMs) / 1000),
    };
    const headers = rulesOf(p.name).rateHeaders?.(window, limited, p.resetStyle) ?? {};
    if (limited) headers["Retry-After"] = String(window.resetSeconds);
    return { limited, headers };
  }

  clear(): void {
    this.windows.clear();
  }
}
